import Hummingbird

/// With a maximum page size set (``SandboxFaults/maxPageSize``), a list request's `limit`
/// is lowered to it before the handler reads it: the page holds fewer items than asked and
/// its `meta.limit` says the lower number, as the contract warns a server may do.
struct PageSizeMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let injector: FaultInjector

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let maximum = injector.faults.maxPageSize
        guard maximum > 0, request.method == .get, let path = request.head.path,
            let clamped = Self.clamping(path, to: maximum)
        else { return try await next(request, context) }
        var head = request.head
        head.path = clamped
        return try await next(Request(head: head, body: request.body), context)
    }

    /// `path` with its `limit` (asked, or the endpoints' defaults of 20 to 50) at most
    /// `maximum`, or nil when it needs no change.
    static func clamping(_ path: String, to maximum: Int) -> String? {
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var items = parts.count == 2 ? parts[1].split(separator: "&").map(String.init) : []
        if let index = items.firstIndex(where: { $0.hasPrefix("limit=") }) {
            guard let asked = Int(items[index].dropFirst(6)), asked > maximum else { return nil }
            items[index] = "limit=\(maximum)"
        } else {
            items.append("limit=\(maximum)")
        }
        return parts[0] + "?" + items.joined(separator: "&")
    }
}
