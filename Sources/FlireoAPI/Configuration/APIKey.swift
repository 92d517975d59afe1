import Synchronization

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
        KnownSecrets.remember(secret)
    }

    /// Wraps a key literal (for tests and examples).
    public init(stringLiteral value: String) {
        self.secret = value
        KnownSecrets.remember(value)
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

/// Every API key this process has held, so that a message quoting what the caller gave
/// (a base URL, a profile's name, an argument) never shows one, whatever its format.
public enum KnownSecrets {
    /// Shorter values could occur in ordinary text: they are not keys worth hiding.
    static let shortest = 8
    private static let keys = Mutex<Set<String>>([])

    /// Adds a key.
    /// - Parameter key: a key this process holds (or may be given).
    public static func remember(_ key: String) {
        guard key.utf8.count >= shortest else { return }
        _ = keys.withLock { $0.insert(key) }
    }

    /// Whether `text` holds one of the keys, or a word that looks like one.
    /// - Parameter text: what a message would quote.
    /// - Returns: true when it must not be shown.
    public static func occur(in text: String) -> Bool {
        guard text.utf8.count >= shortest else { return false }
        return looksLikeKey(text) || keys.withLock { keys in keys.contains { text.contains($0) } }
    }

    /// Whether `text` holds a word that starts with `sk_` and is 12 characters or longer.
    private static func looksLikeKey(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isWord(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
        var start = 0
        while start + 2 < bytes.count {
            let atWordStart = start == 0 || !isWord(bytes[start - 1])
            if atWordStart, bytes[start] == UInt8(ascii: "s"), bytes[start + 1] == UInt8(ascii: "k"),
               bytes[start + 2] == UInt8(ascii: "_") {
                var end = start + 3
                while end < bytes.count, isWord(bytes[end]) { end += 1 }
                if end - start >= 12 { return true }
            }
            start += 1
        }
        return false
    }
}
