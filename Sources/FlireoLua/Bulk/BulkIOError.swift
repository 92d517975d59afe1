#if canImport(Glibc)
import Glibc
#endif
import LuaKit

/// A failure of the bulk layer's native primitives (a journal that cannot be created, a
/// CSV that is not UTF-8), raised in Lua as a structured error with `code`, `message`
/// and, when known, `path` and `line`.
struct BulkIOError: Error, Sendable, LuaErrorConvertible {
    /// `exists`, `not_writable`, `not_found`, `io`, `encoding`.
    var code: String
    /// What went wrong, for a person: names the file and, for CSV, the line.
    var message: String
    /// The file concerned.
    var path: String?
    /// The 1-based line of a CSV file where the problem is.
    var line: Int?

    /// The fields of the Lua error table.
    var luaErrorFields: [(String, LuaValue)] {
        var fields: [(String, LuaValue)] = [("code", .string(code)), ("message", .string(message))]
        if let path { fields.append(("path", .string(path))) }
        if let line { fields.append(("line", .integer(Int64(line)))) }
        return fields
    }

    /// The error for a failed system call on `path`, classified by `errno`.
    /// - Parameters:
    ///   - operation: what was tried, e.g. `cannot create`.
    ///   - path: the file.
    ///   - errno: the system error number.
    /// - Returns: the error with a code scripts can test (`exists`, `not_writable`, …).
    static func system(_ operation: String, _ path: String, errno number: Int32) -> BulkIOError {
        let code: String
        switch number {
        case EEXIST: code = "exists"
        case EACCES, EPERM, EROFS: code = "not_writable"
        case ENOENT, ENOTDIR: code = "not_found"
        default: code = "io"
        }
        let reason = String(cString: strerror(number))
        return BulkIOError(code: code, message: "\(operation) \(path): \(reason)", path: path)
    }
}
