/// Text that came from a server, made safe to show on a terminal.
public enum TerminalText {
    /// `text` with its control characters (C0 but tab, DEL, C1) and the bidirectional
    /// overrides and isolates written `\u{1B}`, so that a server cannot clear the screen,
    /// set the window title or rewrite the line; cut to `limit` characters with "…".
    /// - Parameters:
    ///   - text: the text.
    ///   - limit: the most characters kept.
    /// - Returns: the text as it can be shown.
    public static func printable(_ text: String, limit: Int = .max) -> String {
        var shown = text
        if text.unicodeScalars.contains(where: isHidden) {
            shown = ""
            for scalar in text.unicodeScalars {
                if isHidden(scalar) {
                    shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
        }
        return shown.count > limit ? String(shown.prefix(limit)) + "…" : shown
    }

    /// Whether a character would act on the terminal rather than show.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09) || (0x7F...0x9F).contains(value)
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}
