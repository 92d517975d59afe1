/// A Lua error that reached Swift: a syntax error, a runtime error, a file that could
/// not be read. Carries the message as `tostring` would render it, the traceback where
/// there is one, and a copy of the error value itself.
public struct LuaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Kind: Sendable {
        /// The chunk did not compile.
        case syntax
        /// An error raised while running.
        case runtime
        /// A file could not be opened or read.
        case file
        /// Out of memory.
        case memory
        /// The error handler itself failed.
        case errorHandler
    }

    /// What kind of failure it was.
    public let kind: Kind
    /// The error as text (`tostring` of the error value, or `(error object is a … value)`).
    public let message: String
    /// `stack traceback:` and its frames, when known.
    public let traceback: String?
    /// The error value (a string, or a table with `code`, `message`, … for structured errors).
    public let value: LuaValue

    /// - Parameters:
    ///   - kind: the kind of failure.
    ///   - message: the rendered message.
    ///   - traceback: the traceback, if any.
    ///   - value: the error value (defaults to the message as a string).
    public init(kind: Kind, message: String, traceback: String? = nil, value: LuaValue? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.value = value ?? .string(message)
    }

    /// The structured error's `code` field, if the value is a table that has one.
    public var code: String? { value["code"].stringValue }

    /// The message, then the traceback on the following lines.
    public var description: String {
        guard let traceback, !traceback.isEmpty else { return message }
        return message + "\n" + traceback
    }
}

/// A Swift error that knows how it looks in Lua: a table with at least `code` and
/// `message`, which gets LuaKit's error metatable (a one-line `__tostring`).
public protocol LuaErrorConvertible: Error {
    /// The fields of the Lua error table. Include `code` and `message`; `status`,
    /// `details`, `method` and `path` are rendered by `__tostring` when present.
    var luaErrorFields: [(String, LuaValue)] { get }
}
