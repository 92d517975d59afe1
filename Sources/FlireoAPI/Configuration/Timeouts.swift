/// How long a request may take.
public struct Timeouts: Sendable, Hashable {
    /// Establishing a connection (TCP and TLS).
    public var connect: Duration
    /// Silence on an open connection, while waiting for the response or its body.
    public var read: Duration
    /// One attempt, from sending until the response head arrives (the body is then
    /// bounded by ``read``). Retries each get their own.
    public var total: Duration

    /// Creates timeouts.
    /// - Parameters:
    ///   - connect: connection establishment (default 10 s).
    ///   - read: silence on an open connection (default 30 s).
    ///   - total: one attempt until the response head (default 60 s).
    public init(connect: Duration = .seconds(10), read: Duration = .seconds(30), total: Duration = .seconds(60)) {
        self.connect = connect
        self.read = read
        self.total = total
    }

    /// 10 s to connect, 30 s of silence, 60 s per attempt.
    public static let `default` = Timeouts()
}
