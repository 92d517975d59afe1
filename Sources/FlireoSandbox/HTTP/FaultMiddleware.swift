import HTTPTypes
import Hummingbird
import NIOCore

/// Injects latency, 5xx and dropped connections into `/v1` requests. A fault "after the
/// change" lets the handler apply a mutation and then hides the outcome from the client.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let injector: FaultInjector
    let recorder: StatsRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isMutation = request.method != .get && request.method != .head
        let plan = injector.plan(isMutation: isMutation)
        guard plan != .clean else { return try await next(request, context) }
        if plan.delayMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(plan.delayMilliseconds))
        }
        if let struck = strike(plan, .beforeChange, context) { return struck }
        // The change happens whatever the handler answers; its answer is what gets lost.
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIError.from(error, request: request).response
        }
        return strike(plan, .afterChange, context) ?? response
    }

    /// The fault the plan has for this phase, if any, counted in the stats.
    private func strike(_ plan: FaultInjector.Plan, _ phase: FaultInjector.Phase, _ context: Context) -> Response? {
        let before = phase == .beforeChange
        if plan.drop == phase {
            recorder.record(before ? .droppedBefore : .droppedAfter)
            return drop(context)
        }
        if plan.fail == phase {
            recorder.record(before ? .failedBefore : .failedAfter)
            return failure(status: plan.failStatus, phase: before ? "before-change" : "after-change")
        }
        return nil
    }

    /// Closes the connection; the returned response is never written (the stats skip it).
    private func drop(_ context: Context) -> Response {
        context.channel.close(mode: .all, promise: nil)
        return Response(status: .internalServerError, headers: [.sandboxDropped: "1"])
    }

    private func failure(status: Int, phase: String) -> Response {
        let headers: HTTPFields = [.sandboxFault: phase]
        if status == 503 {
            // What a proxy in front of the API sends: HTML, not the JSON envelope.
            let html = "<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Unavailable</h1></body></html>\n"
            var fields = headers
            fields[.contentType] = "text/html"
            fields[.retryAfter] = "1"
            return Response(status: .serviceUnavailable, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        var response = APIError.serverError("Injected failure (sandbox --fail-rate)").response
        response.headers[.sandboxFault] = phase
        return response
    }
}
