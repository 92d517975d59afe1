/// Which entries may be recorded in the history file: none that holds a secret (the
/// API key) or 12 of its characters in a row, in any letter case (a key typed with one
/// character changed, split in two or upper-cased still gives most of it away), none the
/// host's scrub would change (``REPLConfiguration/scrub``: the same rule as for stderr),
/// none that assigns an API key (`api_key = "…"`, `{"api_key": "…"}`), none that is
/// blank, and none longer than `HistoryFile.maxEntryBytes`.
struct HistoryPolicy: Sendable {
    private let secrets: [[UInt8]]
    private let scrub: (@Sendable (String) -> String)?

    /// - Parameters:
    ///   - secrets: texts never to record; empty ones are ignored.
    ///   - scrub: the host's masking of secrets; an entry it would change is not recorded.
    init(secrets: [String], scrub: (@Sendable (String) -> String)? = nil) {
        self.secrets = secrets.map { Self.lowercased(Array($0.utf8)) }.filter { !$0.isEmpty }
        self.scrub = scrub
    }

    private static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }

    /// Whether `entry` may be written to the history file.
    func allows(_ entry: [UInt8]) -> Bool {
        guard entry.count <= HistoryFile.maxEntryBytes else { return false }
        guard entry.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\n") }) else {
            return false
        }
        let lower = Self.lowercased(entry)
        if secrets.contains(where: { Self.containsFragment(of: $0, in: lower) }) { return false }
        if let scrub, let text = String(validating: entry, as: UTF8.self), scrub(text) != text { return false }
        return !Self.assignsAPIKey(entry)
    }

    /// The shortest run of a secret's characters that keeps an entry out.
    static let fragment = 12

    /// Whether `entry` holds the secret, or `fragment` of its characters in a row.
    private static func containsFragment(of secret: [UInt8], in entry: [UInt8]) -> Bool {
        guard secret.count > fragment else { return contains(entry, secret) }
        for start in 0...(secret.count - fragment) where contains(entry, Array(secret[start..<(start + fragment)])) {
            return true
        }
        return false
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// `api_key`, `apikey` or `api-key` (any case) followed, past closing quotes or
    /// brackets, by `=` (not `==`) or `:`.
    static func assignsAPIKey(_ entry: [UInt8]) -> Bool {
        let lower = lowercased(entry)
        var i = 0
        while i + 6 <= lower.count {
            guard lower[i] == UInt8(ascii: "a"), lower[i + 1] == UInt8(ascii: "p"), lower[i + 2] == UInt8(ascii: "i") else {
                i += 1
                continue
            }
            var j = i + 3
            if j < lower.count, lower[j] == UInt8(ascii: "_") || lower[j] == UInt8(ascii: "-") { j += 1 }
            guard j + 3 <= lower.count, Array(lower[j..<(j + 3)]) == Array("key".utf8) else {
                i += 1
                continue
            }
            j += 3
            while j < lower.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]")].contains(lower[j]) {
                j += 1
            }
            if j < lower.count {
                if lower[j] == UInt8(ascii: ":") { return true }
                if lower[j] == UInt8(ascii: "="), j + 1 >= lower.count || lower[j + 1] != UInt8(ascii: "=") { return true }
            }
            i += 1
        }
        return false
    }
}
