import FlireoAPI
import NIOConcurrencyHelpers

/// Ids, keys and bodies shared by the tests (the examples of the API's seed page).
enum Fixture {
    static let assistantID = "660e8400-e29b-41d4-a716-446655440000"
    static let numberID = "550e8400-e29b-41d4-a716-446655440000"
    static let otherNumberID = "770e8400-e29b-41d4-a716-446655440000"
    /// A recognisable key, longer than any quotation limit, so a shortened echo would show.
    static let apiKey = "sk_live_NEVERSHOWTHIS_9f8e7d6c5b4a3210fedcba9876543210"

    static let linkPath = "/v1/assistants/\(assistantID)/phone-number"

    static func linked(_ numberID: String = Fixture.numberID) -> String {
        """
        {"data": {"assistant_id": "\(assistantID)", "assistant_name": "Customer Support Agent",
                  "phone_number": {"id": "\(numberID)", "number": "+31201234567", "type": "local",
                                   "locality": "Amsterdam", "origin": "custom"}}}
        """
    }

    static let unlinked = """
        {"data": {"assistant_id": "\(assistantID)", "assistant_name": "Customer Support Agent", "phone_number": null}}
        """

    static let linkResponse = """
        {"message": "Phone number linked successfully",
         "data": {"assistant_id": "\(assistantID)",
                  "phone_number": {"id": "\(numberID)", "number": "+31201234567", "type": "local", "locality": "Amsterdam"},
                  "previous_phone_number_id": null, "released_assistants": 0}}
        """

    static let unlinkResponse = """
        {"message": "Phone number unlinked successfully",
         "data": {"assistant_id": "\(assistantID)", "unlinked_phone_number": {"id": "\(numberID)", "number": "+31201234567"}}}
        """

    static let notFound = #"{"error": {"code": "not_found", "message": "Assistant not found", "details": {}}}"#

    /// Retries quick enough for tests.
    static let fastRetries = RetryPolicy(
        maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(40), rateLimitRetries: 2,
        maxRetryAfter: .seconds(5)
    )
}

/// Collects trace events.
final class TraceLog: Sendable {
    private let events = NIOLockedValueBox<[TraceEvent]>([])

    var sink: TraceSink {
        { event in self.events.withLockedValue { $0.append(event) } }
    }

    var all: [TraceEvent] { events.withLockedValue { $0 } }

    func of(_ kind: TraceEvent.Kind) -> [TraceEvent] { all.filter { $0.kind == kind } }
}

extension ScriptedServer {
    /// A client for this server: its own key, fast retries, no pacing unless given, and
    /// timeouts long enough that a stalled test machine does not make a GET be sent again.
    func client(
        apiKey: String? = nil,
        retryPolicy: RetryPolicy = Fixture.fastRetries,
        rateLimit: RateLimit? = nil,
        // (A generous connect timeout: a loopback connect waited out 2 s in a loaded clean-clone
        // run, and the test saw connection_failed where it asked about a response.)
        timeouts: Timeouts = Timeouts(connect: .seconds(10), read: .seconds(30), total: .seconds(30)),
        trace: TraceLog? = nil
    ) throws -> FlireoClient {
        let configuration = FlireoConfiguration(
            baseURL: baseURL,
            apiKey: APIKey(apiKey ?? self.apiKey),
            timeouts: timeouts,
            retryPolicy: retryPolicy,
            rateLimit: rateLimit,
            trace: trace?.sink
        )
        return try FlireoClient(configuration: configuration)
    }
}

/// Runs `body` and returns the ``FlireoError`` it throws, or `nil` when it succeeds or
/// throws something else.
func flireoError<T>(_ body: () async throws -> T) async -> FlireoError? {
    do {
        _ = try await body()
        return nil
    } catch let error as FlireoError {
        return error
    } catch {
        return nil
    }
}
