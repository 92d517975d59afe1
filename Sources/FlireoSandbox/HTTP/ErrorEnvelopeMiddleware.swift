import Hummingbird

/// Turns every thrown error (the store's, the router's 404, body limits) into the documented
/// envelope, so no request ever gets Hummingbird's empty default error body.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return APIError.from(error, request: request).response
        }
    }
}
