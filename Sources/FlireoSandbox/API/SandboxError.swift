/// A sandbox that cannot start or save: bad options, an unusable state file, a port in use.
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for a person.
    public var message: String

    /// Creates an error.
    /// - Parameter message: What went wrong.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
