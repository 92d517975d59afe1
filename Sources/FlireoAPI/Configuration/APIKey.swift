/// An API key that cannot be printed: its description, debug description and mirror
/// all read `[redacted]`, so `print`, `dump` and string interpolation of a configuration
/// never show it.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable,
    ExpressibleByStringLiteral
{
    /// The secret itself; only the client's `Authorization` header and the redactor read it.
    let secret: String

    /// Wraps a key.
    /// - Parameter secret: the key as issued.
    public init(_ secret: String) {
        self.secret = secret
    }

    /// Wraps a key literal (for tests and examples).
    public init(stringLiteral value: String) {
        self.secret = value
    }

    /// `[redacted]`.
    public var description: String { "[redacted]" }

    /// `[redacted]`.
    public var debugDescription: String { "[redacted]" }

    /// A mirror with no children, so `dump` shows nothing of the key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// `true` for an empty key (an empty environment variable, for instance).
    public var isEmpty: Bool { secret.isEmpty }

    /// The key itself, for a host that must scrub it from what it writes (a REPL's
    /// history file). Never print it.
    public var revealed: String { secret }
}
