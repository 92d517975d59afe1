import FlireoAPI
import FlireoLua
import LuaKit
import TestSupport
import Testing

/// The LuaLS stubs in stdlib/meta cover every native function the host installs.
@Suite("Stubs for the natives")
struct StubCoverageTests {
    @Test("every function of flireo.native and its submodules has a stub")
    func everyNativeHasAStub() async throws {
        let modules = ["flireo.native", "flireo.native.files", "flireo.native.csv", "flireo.native.system"]
        let names = try await onLuaThread { () throws -> [String] in
            let state = try LuaState()
            FlireoStdlib.install(into: state, environment: [:])
            var runtime = FlireoRuntimeOptions()
            runtime.flags = ConfigurationFlags(baseURL: "http://127.0.0.1:9", apiKey: "sk_test_stub_coverage_key", rateLimit: "off")
            try FlireoRuntime.install(into: state, options: runtime)
            let listed = try state.run("""
                local names = {}
                for _, module in ipairs({...}) do
                  for name, value in pairs(require(module)) do
                    if type(value) == "function" then names[#names + 1] = module .. "." .. name end
                  end
                end
                table.sort(names)
                return table.concat(names, " ")
                """, arguments: modules.map { .string($0) })
            return (listed.first?.stringValue ?? "").split(separator: " ").map(String.init)
        }
        #expect(names.count >= 20)
        let stubLines = FlireoStdlib.moduleSources.filter { $0.key.hasPrefix("meta.") }.values
            .flatMap { $0.split(separator: "\n") }
            .filter { $0.hasPrefix("function ") }
        for qualified in names {
            let name = qualified.split(separator: ".").last.map(String.init) ?? qualified
            #expect(stubLines.contains { $0.contains(".\(name)(") }, "no stub for \(qualified)")
        }
    }
}
