import HTTPTypes
import Hummingbird

/// Counts every request outside `/_sandbox` (so reading the stats does not change them).
struct StatsMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let recorder: StatsRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix(ControlController.prefix) {
            return try await next(request, context)
        }
        recorder.begin()
        let route = context.endpointPath
        let matched = route == "NotFound" ? nil : route
        do {
            let response = try await next(request, context)
            let dropped = response.headers[.sandboxDropped] != nil
            recorder.end(method: request.method.rawValue, route: matched, status: dropped ? nil : Int(response.status.code))
            return response
        } catch {
            recorder.end(method: request.method.rawValue, route: matched, status: 500)
            throw error
        }
    }
}
