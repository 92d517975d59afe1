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
    /// The keys, and the redactor over them: built when a key is added, not per message
    /// (every line Lua writes to stderr is scrubbed).
    private static let known = Mutex<(keys: Set<String>, redactor: Redactor?)>(([], nil))

    /// Adds a key.
    /// - Parameter key: a key this process holds (or may be given).
    public static func remember(_ key: String) {
        guard key.utf8.count >= shortest else { return }
        known.withLock { known in
            guard known.keys.insert(key).inserted else { return }
            known.redactor = Redactor(secrets: Array(known.keys))
        }
    }

    /// Whether `text` holds one of the keys (or a run of 12 of its characters, in any
    /// letter case), or a word that looks like a key.
    /// - Parameter text: what a message would quote.
    /// - Returns: true when it must not be shown.
    public static func occur(in text: String) -> Bool {
        redact(text) != text
    }

    /// `text` with every key this process holds masked as `[redacted]`: whole, cut short
    /// before an ellipsis, or as a run of 12 of its characters in any letter case; and
    /// every word that looks like a key (`sk_` and 9 or more characters) masked too. The
    /// last scrub of what the host writes to stderr, whatever built the message.
    /// - Parameter text: a message about to be shown.
    /// - Returns: the message, safe to show.
    public static func redact(_ text: String) -> String {
        guard text.utf8.count >= shortest else { return text }
        let redactor = known.withLock { $0.redactor }
        let scrubbed = redactor?.scrub(text) ?? text
        return maskingKeyLikeWords(scrubbed)
    }

    /// Masks every word that starts with `sk_` and is 12 characters or longer.
    private static func maskingKeyLikeWords(_ text: String) -> String {
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
        var output: [UInt8] = []
        var masked = false
        var start = 0
        while start < bytes.count {
            let atWordStart = start == 0 || !isWord(bytes[start - 1])
            if atWordStart, start + 2 < bytes.count, bytes[start] == UInt8(ascii: "s"),
               bytes[start + 1] == UInt8(ascii: "k"), bytes[start + 2] == UInt8(ascii: "_") {
                var end = start + 3
                while end < bytes.count, isWord(bytes[end]) { end += 1 }
                if end - start >= 12 {
                    output += Redactor.mask.utf8
                    masked = true
                    start = end
                    continue
                }
            }
            output.append(bytes[start])
            start += 1
        }
        return masked ? String(decoding: output, as: UTF8.self) : text
    }
}
