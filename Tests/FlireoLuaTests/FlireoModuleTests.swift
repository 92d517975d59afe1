import FlireoSandbox
import Testing

/// The `flireo` module's Lua test files, each against its own sandbox over a socket.
@Suite("The flireo Lua module")
struct FlireoModuleTests {
    @Test("assistants: every method, result shapes, warnings, ensure")
    func assistants() async throws {
        LuaSuite.expectAllPass(try await LuaSuite.run("test_assistant.lua"))
    }

    @Test("every error code reachable from Lua, with its fields")
    func errors() async throws {
        LuaSuite.expectAllPass(try await LuaSuite.run("test_errors.lua"))
    }

    @Test("collections, E.164 resolution across pages, numbers, orders, groups")
    func collections() async throws {
        // Enough numbers for the E.164 index to span several pages of 100.
        let options = SandboxOptions(assistants: 40, numbers: 260, orderCompletionSeconds: 0.3)
        LuaSuite.expectAllPass(try await LuaSuite.run("test_collections.lua", sandbox: options))
    }

    @Test("dry run: reads are sent, mutations are not, and the account is unchanged")
    func dryRun() async throws {
        LuaSuite.expectAllPass(try await LuaSuite.run("test_dryrun.lua", dryRun: true))
    }

    @Test("concurrency through parallel, and two clients in one script")
    func concurrency() async throws {
        let options = SandboxOptions(assistants: 40, numbers: 40, faults: SandboxFaults(latencyMilliseconds: 50))
        LuaSuite.expectAllPass(try await LuaSuite.run("test_concurrency.lua", sandbox: options))
    }

    @Test("the client's caches and predictions stay true; shared collections; one object per assistant")
    func consistency() async throws {
        LuaSuite.expectAllPass(try await LuaSuite.run("test_consistency.lua"))
    }

    @Test("cancelling a task cancels the request it waits for")
    func cancel() async throws {
        let options = SandboxOptions(assistants: 2, numbers: 2, faults: SandboxFaults(latencyMilliseconds: 2000))
        LuaSuite.expectAllPass(try await LuaSuite.run("test_cancel.lua", sandbox: options))
    }
}
