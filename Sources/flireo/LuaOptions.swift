/// The options of a `flireo` command line, collected as `lua.c`'s `collectargs` does:
/// options stop at the first non-option (the script), at `--`, or at `-`.
struct LuaOptions {
    /// `-i`: enter the REPL after the script.
    var interactive = false
    /// `-v` (also implied by `-i`): print the version.
    var version = false
    /// `-e` was given (no REPL, no stdin script then).
    var hasExecute = false
    /// `-E`: ignore LUA_INIT, LUA_PATH, LUA_CPATH and the startup file.
    var ignoreEnvironment = false
    /// The index in argv of the script, or argv.count when there is none.
    var script: Int
    /// A bad option: the argument as given.
    var badOption: String?
    /// flireo's long options (`--sandbox`, `--dry-run`, …).
    var flags = FlireoFlags()
    /// Indices of arguments that are values of long options (skipped when running -e/-l).
    var longOptionValues: Set<Int> = []
    /// Whether a `--` ended the options: what follows the script is the script's, whatever it says.
    var endedByDoubleDash = false

    /// Parses argv (argv[0] is the program).
    init(argv: [String]) {
        script = argv.count
        var i = 1
        while i < argv.count {
            script = i
            let a = Array(argv[i].utf8)
            guard a.first == UInt8(ascii: "-") else { return }
            if a.count == 1 { return }  // "-": the script is stdin
            switch a[1] {
            case UInt8(ascii: "-"):
                if a.count == 2 {  // "--"
                    script = i + 1
                    endedByDoubleDash = true
                    return
                }
                guard let consumed = flags.apply(argv[i], next: i + 1 < argv.count ? argv[i + 1] : nil) else {
                    badOption = argv[i]
                    return
                }
                if consumed {
                    i += 1
                    longOptionValues.insert(i)
                }
            case UInt8(ascii: "E"):
                guard a.count == 2 else { badOption = argv[i]; return }
                ignoreEnvironment = true
            case UInt8(ascii: "W"):
                guard a.count == 2 else { badOption = argv[i]; return }
            case UInt8(ascii: "i"), UInt8(ascii: "v"):
                guard a.count == 2 else { badOption = argv[i]; return }
                if a[1] == UInt8(ascii: "i") { interactive = true }
                version = true
            case UInt8(ascii: "e"), UInt8(ascii: "l"):
                if a[1] == UInt8(ascii: "e") { hasExecute = true }
                if a.count == 2 {
                    i += 1
                    guard i < argv.count, !argv[i].hasPrefix("-") else {
                        badOption = argv[i - 1]
                        script = i - 1
                        return
                    }
                }
            default:
                badOption = argv[i]
                return
            }
            i += 1
        }
        script = argv.count
    }

    /// The usage message for a bad option, as `lua` prints it.
    func usage(for bad: String) -> String {
        let kind = Array(bad.utf8).dropFirst().first
        let head: String
        let long = String(bad.dropFirst(2).prefix { $0 != "=" })
        if kind == UInt8(ascii: "e") || kind == UInt8(ascii: "l") || (FlireoFlags.options[long] == true && !bad.contains("=")) {
            head = "flireo: '\(bad)' needs argument\n"
        } else if FlireoFlags.options[long] == false, bad.contains("=") {
            head = "flireo: option '--\(long)' takes no value\n"
        } else {
            // Only the name of `--name=value`: the value may be a secret.
            head = "flireo: unrecognized option '\(bad.hasPrefix("--") ? String(bad.prefix { $0 != "=" }) : bad)'\n"
        }
        // lua's usage; after a mistyped long option, flireo's own too (what it likely meant).
        return head + Usage.options + (bad.hasPrefix("--") ? Usage.flireoOptions : "")
    }
}
