import Hummingbird

/// Refuses a GET or DELETE that carries a body, as strict front ends do (a CDN answers
/// 403, a strict JSON body parser 400 to a body of `null`): the API's reads and its
/// unlink take none, and a client that sends one anyway should learn it here, not in
/// production.
struct BodilessMethodMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .delete, Self.hasBody(request) {
            return APIError.invalidBody("a \(request.method.rawValue) request takes no body").response
        }
        return try await next(request, context)
    }

    /// Whether the request declares a body: a non-zero `Content-Length`, or any `Transfer-Encoding`.
    static func hasBody(_ request: Request) -> Bool {
        if request.headers[.transferEncoding] != nil { return true }
        guard let length = request.headers[.contentLength] else { return false }
        return length.trimmedSpaces != "0"
    }
}
