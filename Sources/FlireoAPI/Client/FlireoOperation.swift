/// One API call the client can run: its request, how the response body becomes the
/// result, and, for a mutation, how an unknown outcome is settled by reading back.
///
/// Made by ``FlireoClient/operations`` (which checks the arguments before any request),
/// run by ``FlireoClient/run(_:)`` or started with a completion by
/// ``FlireoClient/start(_:completion:)``.
public struct FlireoOperation<Value: Sendable>: Sendable {
    let endpoint: Endpoint
    let decode: @Sendable (JSONValue) throws -> Value
    /// Settles a failure whose outcome is unknown (timeout, 5xx after sending) by reading
    /// the state back; `nil` reports such failures as they are.
    let settle: (@Sendable (FlireoClient, FlireoError) async throws -> Value)?

    /// The JSON body the request sends, if any (a warning about it can name what it asked).
    public var requestBody: JSONValue? { endpoint.body }

    init(
        _ endpoint: Endpoint,
        settle: (@Sendable (FlireoClient, FlireoError) async throws -> Value)? = nil,
        decode: @escaping @Sendable (JSONValue) throws -> Value
    ) {
        self.endpoint = endpoint
        self.decode = decode
        self.settle = settle
    }
}
