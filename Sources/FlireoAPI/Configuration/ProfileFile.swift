/// The config file, `$XDG_CONFIG_HOME/flireo/config` (default `~/.config/flireo/config`):
///
/// ```ini
/// # Lines starting with # or ; are comments, and so is the rest of a line from a # or ;
/// # after a space. Values may be quoted.
/// [default]
/// base_url = https://api.flireo.example
/// # A key in the file requires mode 0600 (chmod 600 ~/.config/flireo/config).
/// api_key = sk_live_…
/// # 100 (per minute), 100/min, 5/s, 3000/h or off.
/// rate_limit = 100/min
///
/// [profile staging]
/// base_url = https://staging.flireo.example
/// # Read the key from this environment variable instead.
/// api_key_env = FLIREO_STAGING_KEY
/// allow_insecure_http = false
/// ```
///
/// `[default]` (or `[profile default]`) is used unless `--profile` or `FLIREO_PROFILE`
/// names another. A file holding an `api_key` anywhere is refused unless only its owner
/// can read it. Error messages never quote a value, so a key cannot leak through them.
struct ProfileFile: Sendable {
    /// One `name = value` line.
    struct Setting: Sendable {
        let value: String
        let line: Int
    }

    /// The settings this file understands.
    static let knownSettings: Set<String> = ["base_url", "api_key", "api_key_env", "rate_limit", "allow_insecure_http"]

    let path: String
    /// Profile name → setting name → setting.
    let profiles: [String: [String: Setting]]
    /// Profile names in file order.
    let profileNames: [String]

    /// `true` when any profile holds an `api_key`.
    var holdsKey: Bool {
        profiles.values.contains { $0["api_key"] != nil }
    }

    /// Parses the file's text.
    /// - Throws: ``FlireoError`` `configuration` naming the path and line of every problem, one a line.
    init(text: String, path: String) throws {
        var profiles: [String: [String: Setting]] = [:]
        var names: [String] = []
        var current: String?
        // Every problem of the file at once, not one per run.
        var problems: [String] = []
        func problem(_ line: Int, _ reason: String) { problems.append("\(path):\(line): \(reason)") }
        // A byte-order mark and CRLF (or CR) line ends, as editors on Windows write them:
        // a line end left unseen would join a setting to the next line (its key included).
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        var seen: [String: [String: Int]] = [:]
        var headerLine: [String: Int] = [:]
        for (offset, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let line = offset + 1
            let content = rawLine.trimmingSpaces
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]") else {
                    problem(line, "a section header must end with ']'")
                    continue
                }
                let name = Self.profileName(header: content.dropFirst().dropLast())
                guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
                    problem(line, "expected [default] or [profile NAME]")
                    continue
                }
                if profiles[name] == nil {
                    profiles[name] = [:]
                    names.append(name)
                    headerLine[name] = line
                } else {
                    problem(line, "[\(name)] appears twice (also on line \(headerLine[name] ?? 0)): keep one section")
                }
                current = name
                continue
            }
            guard let equals = content.firstIndex(of: "=") else {
                problem(line, "expected 'name = value'")
                continue
            }
            let key = String(content[..<equals].trimmingSpaces).lowercased()
            guard let profile = current else {
                let name = Self.knownSettings.contains(key) ? "setting '\(key)'" : "a setting"
                problem(line, "\(name) is outside any [profile] section")
                continue
            }
            guard Self.knownSettings.contains(key) else {
                let known = Self.knownSettings.sorted().joined(separator: ", ")
                // Only a word that looks like a setting name is quoted: the text could be a key.
                let looksLikeName = key.count <= 20 && key.allSatisfy { $0.isLetter || $0 == "_" || $0 == "-" }
                // `base-url` for `base_url`, `apikey` for `api_key`: the likely one named.
                let squeezed = key.filter { $0.isLetter }
                let meant = Self.knownSettings.first { $0.filter { $0.isLetter } == squeezed }
                let hint = looksLikeName ? meant.map { "; did you mean '\($0)'?" } ?? "" : ""
                problem(line, "unknown setting\(looksLikeName ? " '\(key)'" : "")\(hint) (known: \(known))")
                continue
            }
            let value = Self.unquoted(content[content.index(after: equals)...].trimmingSpaces)
            if let earlier = seen[profile]?[key] {
                problem(line, "'\(key)' is set twice in [\(profile)] (also on line \(earlier)): keep one")
            }
            seen[profile, default: [:]][key] = line
            profiles[profile]?[key] = Setting(value: value, line: line)
        }
        for name in names {
            if let key = profiles[name]?["api_key"], let variable = profiles[name]?["api_key_env"] {
                problem(max(key.line, variable.line), "[\(name)] sets both api_key and api_key_env: keep one")
            }
        }
        guard problems.isEmpty else { throw FlireoError.configuration(problems.joined(separator: "\n")) }
        self.path = path
        self.profiles = profiles
        self.profileNames = names
    }

    private static func profileName(header: Substring) -> String {
        let inner = header.trimmingSpaces
        if inner.hasPrefix("profile ") || inner.hasPrefix("profile\t") {
            return String(inner.dropFirst("profile".count).trimmingSpaces)
        }
        return String(inner)
    }

    /// A value without its quotes and without a trailing comment: `#` or `;` after
    /// whitespace (or after the closing quote) starts one.
    private static func unquoted(_ value: Substring) -> String {
        if let first = value.first, first == "\"" || first == "'" {
            let body = value.dropFirst()
            if let close = body.firstIndex(of: first) {
                let after = body[body.index(after: close)...].trimmingSpaces
                if after.isEmpty || after.hasPrefix("#") || after.hasPrefix(";") { return String(body[..<close]) }
            }
            return String(value)
        }
        var end = value.endIndex
        var afterSpace = false
        for index in value.indices {
            let character = value[index]
            if afterSpace, character == "#" || character == ";" {
                end = index
                break
            }
            afterSpace = character == " " || character == "\t"
        }
        return String(value[..<end].trimmingSpaces)
    }

}
