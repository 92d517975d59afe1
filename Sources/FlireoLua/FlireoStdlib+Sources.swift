extension FlireoStdlib {
    /// The embedded modules' source text by module name (`meta.luakit`,
    /// `flireo.inspect`), for tools that read their LuaLS annotations, such as the
    /// REPL's `help()`.
    public static var moduleSources: [String: String] { EmbeddedLua.modules }
}
