import Hummingbird

/// Opens the account of the `Authorization: Bearer <key>` header; anything else is 401 in
/// the flat shape.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let store: any SandboxStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let account = Self.account(of: request, in: store) else {
            return APIError.unauthorized.response
        }
        var context = context
        context.account = account
        return try await next(request, context)
    }

    /// The account of the request's bearer key, if valid.
    static func account(of request: Request, in store: any SandboxStore) -> AccountRef? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return store.authenticate(apiKey: parts[1].trimmingSpaces)
    }
}

extension Substring {
    /// Without trailing spaces or tabs (a key pasted with a stray blank still works).
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
