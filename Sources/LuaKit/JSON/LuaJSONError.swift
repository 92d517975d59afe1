/// Malformed JSON text, or a Lua value that JSON cannot represent.
public struct LuaJSONError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, with its position: `unexpected character '}' at line 1, column 9`.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// A decoding error at `offset` of `bytes`, located by line and column.
    static func at(_ what: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> LuaJSONError {
        var line = 1
        var column = 1
        for i in 0..<min(offset, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return LuaJSONError("\(what) at line \(line), column \(column) (byte \(offset + 1))")
    }

    /// The message.
    public var description: String { message }
}
