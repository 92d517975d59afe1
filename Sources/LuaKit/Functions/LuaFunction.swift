import CLua
import CLuaBridge

/// A Swift function callable from Lua. It reads its arguments from `call`, pushes its
/// results and returns how many it pushed. Throwing raises the error in Lua (from C).
public typealias LuaFunction = (LuaCall) throws -> Int32

/// A Swift function whose work is asynchronous. It validates its arguments
/// synchronously (throwing raises at once) and returns the operation to run; the
/// calling coroutine is suspended until the operation finishes, or, where Lua cannot
/// yield, the Lua thread waits for that one operation.
public typealias LuaAsyncFunction = (LuaCall) throws -> LuaAsyncOperation

/// The Swift side of a Lua function value: what the C trampoline dispatches to.
final class LuaFunctionBox {
    enum Body {
        case sync(LuaFunction)
        case async(LuaAsyncFunction)
    }

    let body: Body

    init(_ body: Body) {
        self.body = body
    }

    /// Runs the function for one call and returns a trampoline status.
    @inline(__always)
    func invoke(_ L: OpaquePointer) -> Int32 {
        let call = LuaCall(L)
        do {
            switch body {
            case .sync(let function):
                return try function(call)
            case .async(let function):
                let state = LuaState.owner(of: L)
                try state.checkOpen()
                let operation = try function(call)
                return state.scheduler.start(operation, in: call)
            }
        } catch {
            call.pushError(error)
            return CLB_RAISE
        }
    }
}

/// The C trampoline's entry into Swift.
let luaKitDispatch: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { L, box in
    guard let L, let box else { return 0 }
    return Unmanaged<LuaFunctionBox>.fromOpaque(box).takeUnretainedValue().invoke(L)
}

/// Releases the retain a userdata held on a Swift object (function box or object).
let luaKitRelease: @convention(c) (UnsafeMutableRawPointer?) -> Void = { object in
    guard let object else { return }
    Unmanaged<AnyObject>.fromOpaque(object).release()
}

extension LuaState {
    /// Pushes a Lua function that runs `function`.
    /// - Parameter function: the Swift body.
    public func pushFunction(_ function: @escaping LuaFunction) {
        Self.pushBox(L, LuaFunctionBox(.sync(function)))
    }

    /// Pushes a Lua function whose body is asynchronous (see `LuaAsyncFunction`).
    /// - Parameter function: validates arguments and returns the operation.
    public func pushAsyncFunction(_ function: @escaping LuaAsyncFunction) {
        Self.pushBox(L, LuaFunctionBox(.async(function)))
    }

    static func pushBox(_ L: OpaquePointer, _ box: LuaFunctionBox) {
        clb_pushfunction(L, Unmanaged.passRetained(box as AnyObject).toOpaque())
    }

    /// Sets `global` to a Swift function.
    /// - Parameters:
    ///   - name: the global's name.
    ///   - function: the Swift body.
    public func setGlobal(_ name: String, function: @escaping LuaFunction) {
        pushFunction(function)
        setRawGlobal(name)
    }

    /// Sets `global` to an asynchronous Swift function.
    /// - Parameters:
    ///   - name: the global's name.
    ///   - function: validates arguments and returns the operation.
    public func setAsyncGlobal(_ name: String, _ function: @escaping LuaAsyncFunction) {
        pushAsyncFunction(function)
        setRawGlobal(name)
    }
}
