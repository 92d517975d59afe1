import FlireoAPI

/// flireo's own options written after the script name, where they go to the script (as
/// `lua` passes them) and flireo never sees them: `flireo s.lua --dry-run` would change
/// data, `flireo s.lua --sandbox` would reach the configured account.
enum MisplacedOptions {
    /// The options that choose the account a run reaches.
    static let target: Set<String> = ["sandbox", "base-url", "profile"]
    /// The options that change how a run behaves: after the script name they are only noted.
    static let behaviour: Set<String> = ["verbose", "rate-limit", "allow-http"]
    /// The options `run NAME` takes after the name as well as before it: the shipped
    /// scripts have none of their own by these names.
    static let hoisted: Set<String> = ["sandbox", "base-url", "profile", "rate-limit", "allow-http", "verbose"]

    /// The option's name (`--base-url=…` → `base-url`), if `argument` is one of flireo's.
    static func name(_ argument: String) -> String? {
        guard argument.hasPrefix("--"), argument != "--" else { return nil }
        let name = String(argument.dropFirst(2).prefix { $0 != "=" })
        return FlireoFlags.options[name] == nil ? nil : name
    }

    /// For a script file's arguments: whether `--dry-run` is among them (the run is then
    /// dry: the safe reading), and the first option that chooses the account (refused:
    /// the run would reach another account than the one asked for). A `--` among the
    /// arguments ends the search.
    /// - Parameters:
    ///   - arguments: the script's arguments.
    ///   - given: the options given before the script: the same one repeated after it
    ///     (`flireo --sandbox s.lua --sandbox`) reaches the account named, and is the script's.
    /// - Returns: `target` as it should be written before the script (`--base-url URL`);
    ///   `noted`: the behaviour options among them (`--verbose`), which the script gets.
    static func inScriptArguments(
        _ arguments: ArraySlice<String>, given: FlireoFlags
    ) -> (dryRun: Bool, target: String?, noted: [String]) {
        var dryRun = false
        var noted: [String] = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let argument = arguments[i]
            if argument == "--" { break }
            i += 1
            guard let name = name(argument) else { continue }
            if name == "dry-run" { dryRun = true }
            // (Given before the script as well, it is in effect: the copy after it is the script's.)
            let inEffect = switch name {
            case "verbose": given.verbose
            case "rate-limit": given.configuration.rateLimit != nil
            default: given.configuration.allowInsecureHTTP == true
            }
            if behaviour.contains(name), !inEffect, !noted.contains("--" + name) { noted.append("--" + name) }
            guard target.contains(name) else { continue }
            // The value, attached or next (what the corrected command needs too).
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                value = String(argument[argument.index(after: equals)...])
            } else if name != "sandbox", i < arguments.endIndex {
                value = arguments[i]
            }
            let repeated = switch name {
            case "sandbox": given.sandbox
            case "base-url": value != nil && given.configuration.baseURL == value
            default: value != nil && given.configuration.profile == value
            }
            if repeated { continue }
            let shown = name == "base-url" ? "URL" : "NAME"
            return (dryRun, "--" + name + (name == "sandbox" ? "" : " " + (value.map { KnownSecrets.occur(in: $0) ? shown : $0 } ?? shown)),
                    noted)
        }
        return (dryRun, nil, noted)
    }

    /// For `flireo run NAME args`: flireo's options among `args` (each with its value)
    /// moved out, and the rest in order; a `--` stops the moving.
    static func hoist(_ arguments: ArraySlice<String>) -> (options: [String], rest: [String]) {
        var options: [String] = []
        var rest: [String] = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let argument = arguments[i]
            if argument == "--" {
                rest += arguments[i...]
                break
            }
            if let name = name(argument), hoisted.contains(name) {
                options.append(argument)
                if FlireoFlags.options[name] == true, !argument.contains("="), i + 1 < arguments.endIndex {
                    i += 1
                    options.append(arguments[i])
                }
            } else {
                rest.append(argument)
            }
            i += 1
        }
        return (options, rest)
    }
}
