/// A bad argument to a Swift function called from Lua. Raised (from C) as Lua's usual
/// `file:line: bad argument #n to 'f' (message)`.
public struct LuaArgumentError: Error, Sendable {
    enum Detail: Sendable {
        case expected(String)
        case message(String)
    }

    /// The argument's position (1-based, counting `self` for methods).
    public let index: Int32
    let detail: Detail

    /// A bad argument with a free-form explanation.
    /// - Parameters:
    ///   - index: the argument's position.
    ///   - message: what is wrong, e.g. `"number has no integer representation"`.
    public init(index: Int32, message: String) {
        self.index = index
        self.detail = .message(message)
    }

    /// An argument of the wrong type: the message names the expected type and the one given.
    /// - Parameters:
    ///   - typeName: the expected type, e.g. `"string"` or `"flireo.Assistant"`.
    ///   - index: the argument's position.
    public static func expected(_ typeName: String, at index: Int32) -> LuaArgumentError {
        LuaArgumentError(index: index, detail: .expected(typeName))
    }

    private init(index: Int32, detail: Detail) {
        self.index = index
        self.detail = detail
    }

    /// The explanation (without the position and function name).
    public var message: String {
        switch detail {
        case .expected(let type): "\(type) expected"
        case .message(let message): message
        }
    }
}

/// A plain error message raised in Lua as a string, with the caller's position in
/// front, like `luaL_error`: `file:line: message`.
public struct LuaMessageError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Whether to prefix the caller's position.
    public let withPosition: Bool

    /// - Parameters:
    ///   - message: the message.
    ///   - withPosition: prefix `file:line:` of the calling Lua code (default true).
    public init(_ message: String, withPosition: Bool = true) {
        self.message = message
        self.withPosition = withPosition
    }

    /// The message.
    public var description: String { message }
}
