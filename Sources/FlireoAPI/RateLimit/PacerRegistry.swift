import NIOConcurrencyHelpers

/// The process-wide table of ``RequestPacer``s, one per API key and base URL, so that
/// every client using the same key shares one budget. The strictest configured limit wins.
enum PacerRegistry {
    private struct Key: Hashable {
        let baseURL: String
        let apiKey: APIKey?
    }

    private static let pacers = NIOLockedValueBox<[Key: RequestPacer]>([:])

    /// The pacer for `apiKey` at `baseURL`, created on first use.
    static func pacer(baseURL: BaseURL, apiKey: APIKey?, rateLimit: RateLimit?) -> RequestPacer {
        let key = Key(baseURL: baseURL.prefix, apiKey: apiKey)
        return pacers.withLockedValue { pacers in
            if let existing = pacers[key] {
                existing.tighten(to: rateLimit)
                return existing
            }
            let pacer = RequestPacer(rateLimit: rateLimit, server: baseURL.origin)
            pacers[key] = pacer
            return pacer
        }
    }
}
