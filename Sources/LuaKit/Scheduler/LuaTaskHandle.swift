import CLua
import CLuaBridge

/// What `spawn` returns: `task:wait()`, `task:cancel()`, `task:done()`.
final class LuaTaskHandle: LuaObject, @unchecked Sendable {
    // @unchecked: a handle lives and dies on the Lua thread (created by `spawn`,
    // released by Lua's collector); it is never shared with another thread.
    static let luaTypeName = "luakit.Task"

    let coroutine: HostCoroutine

    init(_ coroutine: HostCoroutine) {
        self.coroutine = coroutine
        coroutine.handles += 1
    }

    deinit {
        coroutine.handles -= 1
    }

    /// Two handles on one task are equal (`tasks()` makes new ones).
    func luaEquals(_ other: LuaTaskHandle) -> Bool {
        coroutine === other.coroutine
    }

    var luaDescription: String {
        let status: String
        switch coroutine.status {
        case .finished: status = coroutine.succeeded ? "done" : "failed"
        case .waiting: status = "waiting"
        case .running: status = "running"
        case .ready: status = "ready"
        }
        return "luakit.Task<\(status)>"
    }

    static var luaMethods: [String: LuaMethod<LuaTaskHandle>] {
        [
            "wait": .sync(doc: "task:wait() -> ... : waits for the task and returns its results, or raises its error") {
                handle, call in
                try call.state.checkOpen()
                return call.state.scheduler.join(handle.coroutine, in: call)
            },
            "cancel": .sync(doc: "task:cancel() : stops the task at its next wait (it fails with 'cancelled')") {
                handle, call in
                try call.state.checkOpen()
                call.state.scheduler.cancel(handle.coroutine)
                return 0
            },
            "done": .sync(doc: "task:done() -> boolean : whether the task has finished") { handle, call in
                call.push(handle.coroutine.status == .finished)
                return 1
            },
        ]
    }
}
