import FlireoAPI
import FlireoLua
import FlireoSandbox
import Foundation
import LuaKit
import TestSupport
import Testing

/// Runs a Lua test file (`lua/test_*.lua`, in the style of Hammerspoon's) against a real
/// sandbox over a socket, and turns each failing `test(name, fn)` into a test issue.
enum LuaSuite {
    struct Outcome: Sendable {
        let name: String
        let failure: String?
    }

    /// The Lua test harness: `test(name, fn)`, `eq(actual, expected, what)`,
    /// `raises(code, fn, ...)`, `stats()`, `reset()`, `captured_stderr(fn)`.
    static let harness = #"""
    local results = {}
    __TEST_RESULTS = results
    function test(name, fn)
      local ok, err = xpcall(fn, function(e) return debug.traceback(tostring(e), 2) end)
      results[#results + 1] = {name = name, ok = ok, err = err}
    end
    function eq(actual, expected, what)
      if actual ~= expected then
        error(("%s: expected %s, got %s"):format(what or "value", tostring(expected), tostring(actual)), 2)
      end
    end
    function raises(code, fn, ...)
      local ok, err = pcall(fn, ...)
      if ok then error("expected an error " .. code .. ", got success", 2) end
      if type(err) ~= "table" or err.code ~= code then
        error("expected an error " .. code .. ", got " .. tostring(err), 2)
      end
      return err
    end
    function stats() return flireo.request("GET", "/_sandbox/stats").data end
    function reset()
      flireo.request("POST", "/_sandbox/reset")
      flireo.request("DELETE", "/_sandbox/stats")
    end
    function fixture() return flireo.request("GET", "/_sandbox/fixture").data end
    function mutations(s)
      local n = 0
      for route, count in pairs(s.routes) do
        if route:match("^POST /v1") or route:match("^DELETE /v1") then n = n + count end
      end
      return n
    end
    function captured_stderr(fn)
      local lines, real = {}, io.stderr
      io.stderr = {write = function(_, ...) lines[#lines + 1] = table.concat({...}) end}
      local ok, err = pcall(fn)
      io.stderr = real
      if not ok then error(err, 0) end
      return table.concat(lines)
    end
    """#

    /// Runs `file` against a sandbox started with `sandbox`.
    static func run(
        _ file: String, sandbox options: SandboxOptions = SandboxOptions(),
        dryRun: Bool = false
    ) async throws -> [Outcome] {
        let sandbox = try await Sandbox.start(options)
        defer { Task { await sandbox.stop() } }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("lua/\(file)").path
        let baseURL = sandbox.baseURL
        let key = sandbox.apiKeys.first
        let environment = ["OTHER_SANDBOX_KEY": key ?? "", "WRONG_KEY": "sk_wrong_key_0000000000",
                           "ODD_KEY": "flireo-odd-format-key-2718281828"]
        return try await onLuaThread { () throws -> [Outcome] in
            let state = try LuaState()
            FlireoStdlib.install(into: state, environment: [:])
            var runtime = FlireoRuntimeOptions()
            runtime.flags = ConfigurationFlags(baseURL: baseURL, apiKey: key, rateLimit: "off")
            runtime.environment = environment
            runtime.dryRun = dryRun
            try FlireoRuntime.install(into: state, options: runtime)
            try state.run(harness, name: "=harness")
            state.push(.string(baseURL), on: state.L)
            state.setRawGlobal("SANDBOX_URL")
            try state.call(try state.loadFile(path))
            state.scheduler.drain()
            // The harness's results table is a live Lua table: read it back.
            let collected = try state.run("return __TEST_RESULTS")[0]
            var outcomes: [Outcome] = []
            for entry in collected.tableValue?.array ?? [] {
                outcomes.append(Outcome(
                    name: entry["name"].stringValue ?? "?",
                    failure: entry["ok"] == true ? nil : (entry["err"].stringValue ?? "failed")))
            }
            return outcomes
        }
    }

    /// Records every failing Lua test as an issue; a file that ran no test fails too.
    static func expectAllPass(_ outcomes: [Outcome], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!outcomes.isEmpty, "no Lua test ran", sourceLocation: sourceLocation)
        for outcome in outcomes {
            if let failure = outcome.failure {
                Issue.record("\(outcome.name): \(failure)", sourceLocation: sourceLocation)
            }
        }
    }
}
