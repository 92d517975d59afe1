import LuaKit

/// The native primitives of the bulk layer (`flireo.bulk`, `flireo.journal`,
/// `flireo.csv`, `flireo.cli`), made `require`-able as `flireo.native.files`,
/// `flireo.native.csv` and `flireo.native.system`.
enum BulkNatives {
    /// Registers the native modules in `package.preload`.
    /// - Parameter state: the state to install into.
    static func install(into state: LuaState) {
        state.register(AppendFile.self)
        state.register(CSVFile.self)
        state.addPreloadedModule(FilesModule.name, functions: FilesModule.functions)
        state.addPreloadedModule(CSVModule.name, functions: CSVModule.functions)
        state.addPreloadedModule(SystemModule.name, functions: SystemModule.functions, asyncFunctions: SystemModule.asyncFunctions)
    }
}
