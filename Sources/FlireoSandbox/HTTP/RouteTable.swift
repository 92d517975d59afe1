import HTTPTypes
import Hummingbird

/// Registers routes on the router and remembers them, so a known path asked with another
/// method gets 405 with `Allow` instead of the router's 404.
final class RouteTable {
    /// A route handler.
    typealias Handler = @Sendable (Request, SandboxContext) async throws -> Response

    private let router: Router<SandboxContext>
    private let api: RouterGroup<SandboxContext>
    private var methodsByPath: [String: [HTTPRequest.Method]] = [:]
    private var pathOrder: [String] = []

    /// A table over `router`; `/v1` routes go through `apiMiddlewares`.
    /// - Parameters:
    ///   - router: The router.
    ///   - apiMiddlewares: Authentication, rate limiting and faults, outermost first.
    init(router: Router<SandboxContext>, apiMiddlewares: [any MiddlewareProtocol<Request, Response, SandboxContext>]) {
        self.router = router
        var api = router.group("v1")
        for middleware in apiMiddlewares {
            api = api.add(middleware: middleware)
        }
        self.api = api
    }

    /// Adds an API route: `path` is relative to `/v1`.
    func api(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        api.on(RouterPath(path), method: method, use: handler)
        remember(method, "/v1/" + path)
    }

    /// Adds a control route (outside `/v1`, no authentication, no faults): `path` is absolute.
    func control(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        router.on(RouterPath(path), method: method, use: handler)
        remember(method, path)
    }

    /// Registers 405 answers for the methods each known path lacks. Call after all routes.
    func finish() {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
        for path in pathOrder {
            let allowed = methodsByPath[path] ?? []
            let names = allowed.map(\.rawValue)
            for method in methods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw APIError.methodNotAllowed(request.method.rawValue, allowed: names)
                }
            }
        }
    }

    private func remember(_ method: HTTPRequest.Method, _ path: String) {
        if methodsByPath[path] == nil { pathOrder.append(path) }
        methodsByPath[path, default: []].append(method)
    }
}
