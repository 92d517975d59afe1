import FlireoAPI

/// The long options flireo adds to lua's: where the `flireo` client points and how it
/// behaves. They come before the script, like every option.
struct FlireoFlags {
    /// `--sandbox`: start the sandbox in-process and point the client at it.
    var sandbox = false
    /// `--dry-run`: reads are sent, mutations are predicted and printed, not sent.
    var dryRun = false
    /// `--verbose`: trace every request on stderr (redacted).
    var verbose = false
    /// `--help`.
    var help = false
    /// `--version`.
    var version = false
    /// `--base-url URL`, `--profile NAME`, `--rate-limit SPEC`, `--allow-http`.
    var configuration = ConfigurationFlags()

    /// The long options, and whether each takes a value.
    static let options: [String: Bool] = [
        "sandbox": false, "dry-run": false, "verbose": false, "help": false, "version": false,
        "allow-http": false, "base-url": true, "profile": true, "rate-limit": true,
    ]

    /// Splits the flireo long options at the front of `arguments` (each with its value)
    /// from what follows them; a `--` ends them and is dropped.
    /// - Returns: the options as given, and the rest.
    static func leadingOptions(_ arguments: ArraySlice<String>) -> (options: [String], rest: ArraySlice<String>) {
        var options: [String] = []
        var rest = arguments
        while let first = rest.first, first.hasPrefix("--"), first != "--" {
            options.append(first)
            rest = rest.dropFirst()
            let flag = String(first.dropFirst(2).prefix { $0 != "=" })
            if Self.options[flag] == true, !first.contains("="), let value = rest.first {
                options.append(value)
                rest = rest.dropFirst()
            }
        }
        if rest.first == "--" { rest = rest.dropFirst() }
        return (options, rest)
    }

    /// Applies `--name` or `--name=value` (with `value` from the next argument when the
    /// option takes one and none was attached).
    /// - Returns: whether the next argument was consumed, or nil for an unknown option
    ///   or a missing value.
    mutating func apply(_ argument: String, next: String?) -> Bool? {
        let body = argument.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        guard let takesValue = Self.options[name] else { return nil }
        var value: String? = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        var consumed = false
        if takesValue, value == nil {
            guard let next, !next.hasPrefix("-") else { return nil }
            value = next
            consumed = true
        } else if !takesValue, value != nil {
            return nil
        }
        switch name {
        case "sandbox": sandbox = true
        case "dry-run": dryRun = true
        case "verbose": verbose = true
        case "help": help = true
        case "version": version = true
        case "allow-http": configuration.allowInsecureHTTP = true
        case "base-url": configuration.baseURL = value
        case "profile": configuration.profile = value
        case "rate-limit": configuration.rateLimit = value
        default: return nil
        }
        return consumed
    }
}
