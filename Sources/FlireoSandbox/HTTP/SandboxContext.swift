import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage, the connection (to drop it on purpose)
/// and the account the API key opened.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection, so the fault injector can close it without a response.
    let channel: any Channel
    /// Set by the authentication middleware on `/v1` routes.
    var account: AccountRef?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.account = nil
    }

    /// The authenticated account (only nil on routes outside `/v1`, which never ask).
    func requireAccount() throws(APIError) -> AccountRef {
        guard let account else { throw APIError.unauthorized }
        return account
    }
}
