import CLua
import CLuaBridge

extension LuaState {
    /// Compiles a chunk without running it.
    /// - Parameters:
    ///   - source: the chunk's text (or precompiled bytes when `mode` allows).
    ///   - name: the chunk name for messages: `=stdin`, `@file.lua`, `=(command line)`.
    ///   - mode: `"t"` text only, `"b"` binary only, `"bt"` both.
    /// - Returns: the compiled function.
    /// - Throws: `LuaError` of kind `.syntax` with Lua's message.
    public func load(_ source: some Collection<UInt8>, name: String, mode: String = "bt") throws(LuaError) -> LuaRef {
        var bytes = Array(source)
        bytes.append(0)  // never an empty buffer; the terminator is not part of the chunk
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                luaL_loadbufferx(L, chars.baseAddress, chars.count - 1, name, mode)
            }
        }
        guard status == LUA_OK else { throw popError(L, kind: LuaError.Kind(status: status)) }
        return LuaRef(popping: self)
    }

    /// Compiles a chunk from text.
    public func load(_ source: String, name: String) throws(LuaError) -> LuaRef {
        try load(Array(source.utf8), name: name, mode: "bt")
    }

    /// Compiles a file (skipping a first `#` line, as `lua` does); nil reads stdin.
    /// - Throws: `LuaError` of kind `.file` (`cannot open …`) or `.syntax`.
    public func loadFile(_ path: String?) throws(LuaError) -> LuaRef {
        let status = luaL_loadfilex(L, path, nil)
        guard status == LUA_OK else { throw popError(L, kind: LuaError.Kind(status: status)) }
        return LuaRef(popping: self)
    }

    /// Runs `function` with `arguments` in a new host coroutine, driving the scheduler
    /// until it finishes (its spawned tasks may still run; see `LuaScheduler.drain`).
    /// - Returns: copies of its results.
    /// - Throws: `LuaError` with the message and traceback of an uncaught error.
    @discardableResult
    public func call(_ function: LuaRef, arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        let count = try callKeepingResults(function, arguments: arguments)
        let top = lua_gettop(L)
        defer { lua_settop(L, top - count) }
        var values: [LuaValue] = []
        for i in 0..<count {
            values.append((try? LuaValue.read(L, top - count + 1 + i)) ?? .opaque("?"))
        }
        return values
    }

    /// Compiles and runs a chunk of text (see `call`).
    @discardableResult
    public func run(_ source: String, name: String = "=(chunk)", arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        try call(try load(source, name: name), arguments: arguments)
    }

    /// Like `call`, but leaves the results on the main thread's stack for the caller to
    /// use and pop (the REPL prints them with Lua's own functions).
    /// - Returns: how many results were pushed.
    public func callKeepingResults(_ function: LuaRef, arguments: [LuaValue] = []) throws(LuaError) -> Int32 {
        _ = lua_checkstack(L, Int32(arguments.count) + 2)
        function.push(on: L)
        for argument in arguments { push(argument, on: L) }
        return try callKeepingResults(nargs: Int32(arguments.count))
    }

    /// Like `callKeepingResults(_:arguments:)` for a function already on the main thread's
    /// stack below its `nargs` arguments (values that must keep their identity, such as
    /// the tables a chunk returned): run as a chunk is, so Ctrl-C interrupts it and it may wait.
    /// - Returns: how many results were pushed in their place.
    public func callKeepingResults(nargs: Int32) throws(LuaError) -> Int32 {
        let co = scheduler.execute(nargs: nargs)
        defer { scheduler.release(co) }
        guard co.status == .finished else {
            throw LuaError(kind: .runtime, message: "the chunk could not finish: every task is waiting for another")
        }
        if co.succeeded {
            _ = lua_checkstack(L, co.resultCount + 1)
            lua_xmove(co.thread, L, co.resultCount)
            return co.resultCount
        }
        co.errorObserved = true
        lua_rawgeti(L, clb_registryindex(), lua_Integer(co.errorRef))
        let error = popError(L, kind: .runtime)
        var traceback: String?
        if let report = co.failureReport, let start = report.firstRange(of: "stack traceback:")?.lowerBound {
            traceback = String(report[start...])
        }
        throw Self.interruptedRead(LuaError(kind: .runtime, message: error.message, traceback: traceback, value: error.value))
    }

    /// A read that Ctrl-C cut short inside a C function that raises its failure (the
    /// iterator of `io.lines`) fails with "Interrupted system call" before the interrupt
    /// hook can run: it is the interruption, and says so as lua does.
    static func interruptedRead(_ error: LuaError) -> LuaError {
        let cut = "Interrupted system call"
        guard clb_interrupt_signal() != 0, error.message.hasSuffix(cut), let text = error.value.stringValue,
              text.hasSuffix(cut) else { return error }
        let message = error.message.dropLast(cut.count) + "interrupted!"
        return LuaError(kind: error.kind, message: String(message), traceback: error.traceback,
                        value: .string(LuaString(String(text.dropLast(cut.count) + "interrupted!"))))
    }

    /// Makes Ctrl-C (SIGINT) interrupt this state's running Lua code and cancel the
    /// operations of the interrupted work, as `lua` does; or restores the default.
    public func setInterruptible(_ on: Bool) {
        if on {
            clb_interrupt_install(L)
        } else {
            clb_interrupt_uninstall(L)
        }
    }

    /// Makes SIGTERM and SIGHUP interrupt this state as Ctrl-C does (while it is
    /// interruptible), so a run that `kill`, a closed terminal or a service manager stops
    /// still ends the way Ctrl-C ends it; or restores what they did before.
    public func setTerminationInterrupts(_ on: Bool) {
        clb_interrupt_trap_termination(on ? 1 : 0)
    }

    /// The signal that made the last interrupt request (SIGINT, SIGTERM or SIGHUP), 0 if none.
    public static var lastInterruptSignal: Int32 { clb_interrupt_signal() }

    /// A handle another thread can use to interrupt this state as Ctrl-C would.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(L: L) }

    /// For the next `milliseconds` (0: from now on, no longer), a SIGINT does not
    /// interrupt the running work but is only recorded (``takeDeferredInterrupt()``): a
    /// REPL's background work that runs a moment between waits is not what a Ctrl-C typed
    /// to clear the line is for, while work that keeps running past it is.
    public func setInterruptGrace(milliseconds: Int32) {
        clb_interrupt_set_grace(L, milliseconds)
    }

    /// Whether a SIGINT came during the grace (see ``setInterruptGrace(milliseconds:)``);
    /// clears it.
    public func takeDeferredInterrupt() -> Bool {
        clb_interrupt_take_deferred(L) != 0
    }

    /// Where a SIGINT during the grace is written at once, as the Ctrl-C key (byte 3): a
    /// line reader's wake pipe, so that it comes before the keys typed after it. -1: nowhere.
    public func setDeferredInterruptDescriptor(_ fd: Int32) {
        clb_interrupt_set_key_fd(L, fd)
    }

    /// Remembers the terminal's mode on `fd` now: if a second Ctrl-C ends the process
    /// (as in lua), it is put back, so a line editor's raw mode does not outlive it.
    public static func saveTerminalForInterrupt(_ fd: Int32) {
        clb_interrupt_save_terminal(fd)
    }
}

/// Interrupts a state from another thread, as Ctrl-C would. Valid while the state lives.
public struct LuaInterruptHandle: @unchecked Sendable {
    // Only the async-signal-safe request touches the state: it sets a flag, arms the
    // hook on the running threads and posts the mailbox semaphore.
    let L: OpaquePointer

    /// Requests the interrupt.
    public func interrupt() {
        clb_interrupt_request(L)
    }
}

extension LuaState {
    /// Calls the function below `nargs` arguments on the main stack, in protected mode and
    /// synchronously (not in a host coroutine: asynchronous calls inside block).
    /// - Returns: how many results it left on the stack (`nresults`, or all with -1).
    /// - Throws: `LuaError` with the message and traceback.
    @discardableResult
    public func protectedCall(nargs: Int32, nresults: Int32 = -1) throws(LuaError) -> Int32 {
        let base = lua_gettop(L) - nargs - 1
        let status = clb_pcall(L, nargs, nresults < 0 ? clb_multret() : nresults, 0)
        guard status == LUA_OK else { throw popError(L, kind: LuaError.Kind(status: status)) }
        return lua_gettop(L) - base
    }

    /// Pushes the global `name` without metamethods and returns its type.
    @discardableResult
    public func pushRawGlobal(_ name: String) -> LuaType {
        lua_rawgeti(L, clb_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        push(.string(name), on: L)
        let type = lua_rawget(L, -2)
        clb_remove(L, -2)
        return LuaType(rawValue: type) ?? .nil
    }

    /// Runs a full garbage collection (tests use it to prove objects are released).
    public func collectGarbage() {
        _ = clb_gc_collect(L)
    }

    /// Kilobytes of memory in use by Lua.
    public var memoryInUseKB: Int { Int(clb_gc_count_kb(L)) }

    /// Switches the collector to generational mode, as `lua` does at start-up.
    public func useGenerationalGC() {
        _ = clb_gc_generational(L)
    }

    /// The number of values on the main thread's stack (tests check it stays balanced).
    public var stackTop: Int32 { lua_gettop(L) }

    /// Sets the main stack's top (drops values the caller pushed).
    public func setStackTop(_ top: Int32) { lua_settop(L, top) }

    /// Turns Lua warnings (`warn`) on, as `lua -W`.
    public func enableWarnings() {
        lua_warning(L, "@on", 0)
    }
}

extension LuaState {
    /// A copy of the value at `index` of the main stack.
    /// - Throws: `LuaValueReadError` for tables that contain themselves or nest too deeply.
    public func value(at index: Int32) throws(LuaValueReadError) -> LuaValue {
        try LuaValue.read(L, index)
    }

    /// Moves the value on top of the main stack below the `count` values under it.
    public func moveTop(below count: Int32) {
        clb_insert(L, -(count + 1))
    }
}
