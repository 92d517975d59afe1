#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI
import FlireoLua

/// `flireo run NAME [args]` and `flireo scripts`: the bulk-operation scripts shipped in
/// the binary.
enum ShippedScripts {
    /// `flireo run [flireo options] NAME [args]`: runs shipped script NAME (or, given a
    /// path to an existing file, that file) as `flireo` runs a script file: `arg[0]` is
    /// NAME, the arguments follow, and flireo's long options (`--sandbox`, `--rate-limit`,
    /// …) may come before NAME or among the arguments (but `--dry-run` and `--help` there
    /// are the script's, which takes them).
    /// - Parameters:
    ///   - program: argv[0].
    ///   - arguments: what follows `run`.
    /// - Returns: the exit code.
    static func run(program: String, _ arguments: [String]) -> Int32 {
        var (options, rest) = FlireoFlags.leadingOptions(arguments[...])
        // `flireo run -h` as `flireo run --help`.
        if rest.first == "-h" {
            options.append("--help")
            rest = rest.dropFirst()
        }
        guard let name = rest.first else {
            let usage = "usage: flireo run [flireo options] NAME [arguments]  (NAME --help for a script's own)\n"
                + listing(heading: "Scripts:")
            // Asked for (`flireo run --help`), it is an answer; missing, a usage error.
            if options.contains("--help") {
                Output.out(usage)
                return 0
            }
            // `flireo run` meant a script of one's own called run: the subcommand took it.
            var info = stat()
            let ownRun = stat("run", &info) == 0 && info.st_mode & S_IFMT == S_IFREG
            Output.err(usage + (ownRun ? "(the file named run here runs as: flireo ./run)\n" : ""))
            return 2
        }
        // flireo's options after the name are flireo's too (`flireo run audit --sandbox`).
        let (moved, scriptArguments) = MisplacedOptions.hoist(rest.dropFirst())
        // A path to an existing file runs that file; anything else must be a shipped script.
        if name.contains("/"), access(name, R_OK) == 0 {
            return LuaInterpreter(argv: [program] + options + moved + ["--", name] + scriptArguments).run()
        }
        guard let source = FlireoStdlib.scripts[name] else {
            let shown = KnownSecrets.occur(in: name) ? "(a name that holds the API key, not shown)" : "'\(name)'"
            Output.err("flireo run: no script named \(shown)\n" + listing(heading: "Scripts:"))
            return 2
        }
        let argv = [program] + options + moved + ["--", name] + scriptArguments
        return LuaInterpreter(argv: argv, embeddedScript: source).run()
    }

    /// `flireo scripts`: one line per shipped script, its name and what it does.
    /// - Returns: the exit code.
    static func list() -> Int32 {
        Output.out(listing(heading: nil))
        return 0
    }

    /// The scripts, one per line: name and the first line of its header comment.
    static func listing(heading: String?) -> String {
        let scripts = FlireoStdlib.scripts.sorted { $0.key < $1.key }
        let width = scripts.map(\.key.count).max() ?? 0
        var text = heading.map { $0 + "\n" } ?? ""
        for (name, source) in scripts {
            let padding = String(repeating: " ", count: width - name.count)
            let mark = changesData(source) ? "  [changes data]" : ""
            text += "  \(name)\(padding)  \(summary(of: source))\(mark)\n"
        }
        return text
    }

    /// Whether the script's header says it changes data (`-- Changes data: yes…`).
    static func changesData(_ source: String) -> Bool {
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("--") else { break }
            let text = line.drop { $0 == "-" }.drop { $0 == " " }
            if text.hasPrefix("Changes data:") { return text.dropFirst("Changes data:".count).drop { $0 == " " }.hasPrefix("yes") }
        }
        return false
    }

    /// The first line of a script's header comment, without the comment marker.
    static func summary(of source: String) -> String {
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("--") else { break }
            let text = line.drop { $0 == "-" }.drop { $0 == " " }
            if !text.isEmpty { return String(text) }
        }
        return ""
    }
}
