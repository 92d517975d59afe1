import LuaKit

/// The REPL's Lua side (see `source`), loaded into the state once per session: the
/// `help` global, completion candidates, and the rendering of results.
///
/// Its functions run synchronously on the main stack (`protectedCall`), on the Lua
/// thread, between host coroutines.
final class REPLRuntime {
    /// A name offered by completion and what it holds.
    struct Member: Equatable {
        enum Kind: String {
            case function
            case table
            case value
        }

        var name: String
        var kind: Kind
    }

    let state: LuaState
    private let completeFunction: LuaRef
    private let modulesFunction: LuaRef
    private let renderFunction: LuaRef

    /// Loads the runtime and installs `help`.
    /// - Parameters:
    ///   - state: the state.
    ///   - showHelp: shows what `help(x)` found out about `x` (see `HelpDesk`).
    /// - Throws: `LuaError` if the runtime does not load (it always should).
    init(state: LuaState, showHelp: @escaping (LuaValue) -> Void) throws(LuaError) {
        self.state = state
        let chunk = try state.load(Array(Self.source.utf8), name: "=repl", mode: "t")
        state.reserveStack(8)
        chunk.push(on: state.L)
        state.pushFunction { call in
            let name = try call.string(1)
            if !call.state.pushMethodTable(ofType: name, on: call.L) { call.pushNil() }
            return 1
        }
        state.pushFunction { call in
            call.push(.table(LuaTable(array: call.state.objectTypeNames.map { .string($0) })))
            return 1
        }
        state.pushFunction { call in
            showHelp(try call.value(1))
            return 0
        }
        try state.protectedCall(nargs: 3, nresults: 3)
        renderFunction = state.popReference()
        modulesFunction = state.popReference()
        completeFunction = state.popReference()
    }

    /// The names under `path` (the globals when empty) that start with `prefix`.
    /// - Parameters:
    ///   - path: the dotted path, as names.
    ///   - prefix: what is typed of the name.
    ///   - methods: only functions (after `:`).
    func members(of path: [String], prefix: String, methods: Bool) -> [Member] {
        let arguments: [LuaValue] = [.table(LuaTable(array: path.map { .string($0) })), .string(prefix), .boolean(methods)]
        guard let list = try? call(completeFunction, arguments).tableValue else { return [] }
        return list.array.compactMap { pair in
            guard let name = pair[1].stringValue, let kind = pair[2].stringValue.flatMap(Member.Kind.init) else { return nil }
            return Member(name: name, kind: kind)
        }
    }

    /// The names of the modules loaded or preloaded that start with `prefix`.
    func loadedModules(prefix: String) -> [String] {
        guard let list = try? call(modulesFunction, [.string(prefix)]).tableValue else { return [] }
        return list.array.compactMap(\.stringValue)
    }

    /// Renders the `count` values on top of the main stack, popping them.
    /// - Parameters:
    ///   - count: how many values.
    ///   - color: ANSI colours.
    ///   - width: the terminal's width.
    /// - Returns: the text, without a final newline.
    /// - Throws: `LuaError` when rendering failed (a `__tostring` that raised, say).
    func render(count: Int32, color: Bool, width: Int) throws(LuaError) -> [UInt8] {
        let base = state.stackTop - count
        defer { state.setStackTop(base) }
        state.reserveStack(4)
        renderFunction.push(on: state.L)
        state.moveTop(below: count)
        state.push(.boolean(color), on: state.L)
        state.moveTop(below: count)
        state.push(.integer(Int64(width)), on: state.L)
        state.moveTop(below: count)
        // Run as a chunk is: a result's __tostring (or __index, __pairs) is the script's code,
        // and Ctrl-C must stop it as it stops the line that made the result (QA round 30).
        let results = try state.callKeepingResults(nargs: count + 2)
        guard results > 0, case .string(let text)? = try? state.value(at: -results) else { return [] }
        return text.bytes
    }

    private func call(_ function: LuaRef, _ arguments: [LuaValue]) throws(LuaError) -> LuaValue {
        let base = state.stackTop
        defer { state.setStackTop(base) }
        state.reserveStack(Int32(arguments.count) + 2)
        function.push(on: state.L)
        for argument in arguments { state.push(argument, on: state.L) }
        try state.protectedCall(nargs: Int32(arguments.count), nresults: 1)
        return (try? state.value(at: -1)) ?? .nil
    }
}
