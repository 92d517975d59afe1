import FlireoAPI
import LuaKit

extension FlireoError: LuaErrorConvertible {
    /// `code`, `status`, `message`, `details`, `method`, `path`, and where known
    /// `retry_after` and `outcome_unknown`: what a script matches on (`err.code`).
    public var luaErrorFields: [(String, LuaValue)] {
        var fields: [(String, LuaValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if let status { fields.append(("status", .integer(Int64(status)))) }
        if let details { fields.append(("details", details.luaValue(keepNulls: false))) }
        if let method { fields.append(("method", .string(method))) }
        if let path { fields.append(("path", .string(path))) }
        if let retryAfter { fields.append(("retry_after", .number(retryAfter))) }
        if outcomeUnknown { fields.append(("outcome_unknown", .boolean(true))) }
        return fields
    }
}
