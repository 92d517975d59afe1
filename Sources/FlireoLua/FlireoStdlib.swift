import LuaKit

/// The Lua side of flireo shipped in the binary: `stdlib/` modules and `scripts/`.
public enum FlireoStdlib {
    /// Makes the embedded modules `require`-able, behind the user's own module path
    /// (`FLIREO_PATH`, then `$XDG_CONFIG_HOME/flireo/lua/`), which overrides them.
    /// - Parameters:
    ///   - state: the state to install into.
    ///   - environment: the process environment (`FLIREO_PATH`, `XDG_CONFIG_HOME`, `HOME`).
    public static func install(into state: LuaState, environment: [String: String]) {
        var templates: [String] = []
        if let paths = environment["FLIREO_PATH"], !paths.isEmpty {
            for directory in paths.split(separator: ":") where !directory.isEmpty {
                templates.append("\(directory)/?.lua")
                templates.append("\(directory)/?/init.lua")
            }
        }
        if let config = configDirectory(environment) {
            templates.append("\(config)/flireo/lua/?.lua")
            templates.append("\(config)/flireo/lua/?/init.lua")
        }
        state.prependPackagePath(templates)
        state.addEmbeddedModules(EmbeddedLua.modules)
        BulkNatives.install(into: state)
    }

    /// The shipped scripts by name (`link-from-csv`), as source text.
    public static var scripts: [String: String] { EmbeddedLua.scripts }

    /// The embedded module names.
    public static var moduleNames: [String] { EmbeddedLua.modules.keys.sorted() }

    static func configDirectory(_ environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config" }
        return nil
    }
}
