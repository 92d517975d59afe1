/// The operations a client can ``FlireoClient/start(_:completion:)`` or
/// ``FlireoClient/run(_:)``: each factory checks its arguments at once (throwing
/// `invalid_parameters` before any request), as the client's async method of the same
/// name does.
public struct FlireoOperations: Sendable {
    let client: FlireoClient
}

extension FlireoClient {
    /// The client's operations, to start with a completion instead of awaiting.
    public var operations: FlireoOperations {
        FlireoOperations(client: self)
    }
}
