#if canImport(Glibc)
import Glibc
#endif

/// How a REPL session looks and behaves: its banner, what must never reach the history
/// file, where history and the startup file live, and what completion and help know
/// beyond the Lua state (module names, documentation stubs, string completions).
///
/// `init(environment:)` fills in the standard paths and the colour policy; the host
/// sets the rest. The REPL reads the configuration on the Lua thread only.
public struct REPLConfiguration {
    /// The lines shown when the session starts.
    public struct Banner: Sendable {
        /// The first line, shown even when stdin is not a terminal (as `lua -i` does):
        /// `flireo 0.1.0 — Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio`.
        public var versionLine: String
        /// What the session talks to: a base URL, or `sandbox (http://127.0.0.1:…)`.
        public var target: String?
        /// A few lines worth typing first, shown under "Try:".
        public var examples: [String]

        /// - Parameters:
        ///   - versionLine: the product, version and Lua copyright line.
        ///   - target: what the session talks to, if anything.
        ///   - examples: lines worth typing first.
        public init(versionLine: String, target: String? = nil, examples: [String] = []) {
            self.versionLine = versionLine
            self.target = target
            self.examples = examples
        }
    }

    /// The banner.
    public var banner: Banner
    /// Texts that must never be written to the history file (the API key): a line that
    /// contains one is not recorded. Empty strings are ignored.
    public var secrets: [String] = []
    /// What every error and notice the REPL writes to stderr passes through last (the
    /// host masks its API keys there, whatever built the message); nil writes them as is.
    public var scrub: (@Sendable (String) -> String)?
    /// The history file; nil keeps history in memory only.
    public var historyPath: String?
    /// How many entries the history file keeps (the newest).
    public var historyLimit = 1000
    /// A Lua file run when the session starts (`init.lua`); nil for none (`-E`).
    public var startupFile: String?
    /// Module names offered inside `require "…"`, besides those already loaded
    /// (the host passes its embedded modules).
    public var moduleNames: [String] = []
    /// Prefixes of internal modules (natives, a module's own parts), left out of the
    /// `require "…"` completions until the text typed reaches into them.
    public var hiddenModules: [String] = []
    /// LuaLS stub sources (`---@meta` files, or annotated modules) by module name, read
    /// by `help()`. See `LuaDocParser` for the format.
    public var documentation: [String: String] = [:]
    /// Completions inside a string literal: called on the Lua thread with the text
    /// before the opening quote (`flireo.assistant(`, `a:link(`) and what is typed
    /// after it; returns whole strings (only those starting with the prefix are kept).
    public var stringCompletions: ((_ before: String, _ prefix: String) -> [String])?
    /// A word shown before the prompt (`dry-run> `), asked on the Lua thread before each
    /// chunk is read: a mode the session is in and must not be forgotten.
    public var promptMode: (() -> String?)?
    /// Whether results and errors are coloured (ANSI).
    public var color: Bool

    /// A configuration with the standard paths for `environment`.
    ///
    /// History goes to `$XDG_STATE_HOME/flireo/history` (default
    /// `~/.local/state/flireo/history`), the startup file is
    /// `$XDG_CONFIG_HOME/flireo/init.lua` (default `~/.config/flireo/init.lua`), and
    /// colour is on when stdout is a terminal, `NO_COLOR` is unset or empty and `TERM` is
    /// not `dumb`.
    /// - Parameters:
    ///   - banner: the banner.
    ///   - environment: the process environment.
    public init(banner: Banner, environment: [String: String]) {
        self.banner = banner
        historyPath = Self.directory(environment, xdg: "XDG_STATE_HOME", fallback: ".local/state")
            .map { $0 + "/flireo/history" }
        startupFile = Self.directory(environment, xdg: "XDG_CONFIG_HOME", fallback: ".config")
            .map { $0 + "/flireo/init.lua" }
        // TERM=dumb cannot show colours either.
        color = isatty(1) != 0 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// `$XDG_…` when set to an absolute path (the spec ignores relative ones), else `~/fallback`.
    static func directory(_ environment: [String: String], xdg: String, fallback: String) -> String? {
        if let value = environment[xdg], value.hasPrefix("/") { return value }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/" + fallback
    }
}
