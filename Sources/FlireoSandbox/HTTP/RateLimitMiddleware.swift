import HTTPTypes
import Hummingbird

/// Enforces the per-key limit and puts `X-RateLimit-*` on every `/v1` response of a key
/// (errors included, so it renders errors itself).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let limiter: RateLimiter
    let recorder: StatsRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let account = context.account, let verdict = limiter.admit(account, now: WallClock.now()) else {
            return try await next(request, context)
        }
        var response: Response
        if verdict.allowed {
            do {
                response = try await next(request, context)
            } catch {
                response = APIError.from(error, request: request).response
            }
        } else {
            recorder.record(.rateLimited)
            response = APIError.rateLimited(limit: verdict.limit, retryAfter: verdict.retryAfter).response
        }
        response.headers[.rateLimitLimit] = String(verdict.limit)
        response.headers[.rateLimitRemaining] = String(verdict.remaining)
        response.headers[.rateLimitReset] = String(verdict.reset)
        return response
    }
}
