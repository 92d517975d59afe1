import CLua
import CLuaBridge

/// Parses JSON text straight onto a Lua stack.
///
/// Integers stay integers (beyond 64 bits they become floats, as in Lua's lexer),
/// `1.0` stays a float, arrays and objects are marked so that empty ones survive a
/// round trip, `null` becomes `json.null` (or nil), and nesting is limited instead of
/// overflowing the stack.
struct LuaJSONDecoder {
    /// Deeper nesting is an error rather than a stack overflow.
    static let maximumDepth = 500

    struct Options {
        /// Keep `null` as the `json.null` sentinel (false: drop object keys, leave array holes).
        var keepNulls = true
        /// Give arrays and objects their shape metatables.
        var markShapes = true
    }

    private let L: OpaquePointer
    private let state: LuaState
    private let bytes: UnsafeBufferPointer<UInt8>
    private let options: Options
    private var i = 0
    private var depth = 0

    /// Decodes `bytes` and pushes the single value they hold.
    /// - Throws: `LuaJSONError` with the position; the stack is left as it was.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, onto L: OpaquePointer, options: Options = Options()) throws(LuaJSONError) {
        if let bad = firstInvalidUTF8(bytes) {
            throw LuaJSONError.at("invalid UTF-8", offset: bad, in: bytes)
        }
        var decoder = LuaJSONDecoder(L: L, state: LuaState.owner(of: L), bytes: bytes, options: options)
        let base = lua_gettop(L)
        do throws(LuaJSONError) {
            decoder.skipWhitespace()
            try decoder.value()
            decoder.skipWhitespace()
            if decoder.i < bytes.count { throw decoder.failure("unexpected data after the JSON value") }
        } catch {
            lua_settop(L, base)
            throw error
        }
    }

    private init(L: OpaquePointer, state: LuaState, bytes: UnsafeBufferPointer<UInt8>, options: Options) {
        self.L = L
        self.state = state
        self.bytes = bytes
        self.options = options
    }

    private func failure(_ what: String) -> LuaJSONError {
        LuaJSONError.at(what, offset: i, in: bytes)
    }

    private func unexpected() -> LuaJSONError {
        guard i < bytes.count else { return failure("unexpected end of input") }
        let c = bytes[i]
        let shown: String
        switch c {
        case 0x0A: shown = "'\\n'"
        case 0x0D: shown = "'\\r'"
        case 0x09: shown = "'\\t'"
        case 0x20..<0x7F: shown = "'\(Character(UnicodeScalar(c)))'"
        default: shown = "byte 0x" + (c < 0x10 ? "0" : "") + String(c, radix: 16, uppercase: true)
        }
        return failure("unexpected character \(shown)")
    }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    /// Parses one value and pushes it (a `null` may push nothing when nulls are dropped:
    /// returns false then).
    @discardableResult
    private mutating func value() throws(LuaJSONError) -> Bool {
        guard i < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array()
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true"); lua_pushboolean(L, 1)
        case UInt8(ascii: "f"): try literal("false"); lua_pushboolean(L, 0)
        case UInt8(ascii: "n"):
            try literal("null")
            guard options.keepNulls else { return false }
            state.pushNull(L)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw unexpected()
        }
        return true
    }

    private mutating func literal(_ word: StaticString) throws(LuaJSONError) {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { throw failure("unexpected end of input") }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] {
            i += k
            throw unexpected()
        }
        i += count
    }

    private mutating func enter() throws(LuaJSONError) {
        depth += 1
        if depth > LuaJSONDecoder.maximumDepth {
            throw failure("nesting deeper than \(LuaJSONDecoder.maximumDepth) levels")
        }
        guard lua_checkstack(L, 4) != 0 else { throw failure("nesting too deep for the Lua stack") }
    }

    private mutating func array() throws(LuaJSONError) {
        try enter()
        i += 1
        lua_createtable(L, 0, 0)
        var n: lua_Integer = 0
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                skipWhitespace()
                n += 1
                // A dropped null keeps its place in an array (json.null), so the array
                // has no holes: only object members are dropped.
                if try !value() { state.pushNull(L) }
                lua_rawseti(L, -2, n)
                skipWhitespace()
                guard i < bytes.count else { throw failure("unexpected end of input, expected ',' or ']'") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                throw failure("expected ',' or ']'")
            }
        }
        if options.markShapes { state.setJSONShape(.array, L) }
        depth -= 1
    }

    private mutating func object() throws(LuaJSONError) {
        try enter()
        i += 1
        lua_createtable(L, 0, 0)
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                    throw i < bytes.count ? failure("expected a string key") : failure("unexpected end of input")
                }
                try string()
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                i += 1
                skipWhitespace()
                if try value() {
                    lua_rawset(L, -3)
                } else {
                    clb_pop(L, 1)  // the key of a dropped null
                }
                skipWhitespace()
                guard i < bytes.count else { throw failure("unexpected end of input, expected ',' or '}'") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw failure("expected ',' or '}'")
            }
        }
        if options.markShapes { state.setJSONShape(.object, L) }
        depth -= 1
    }

    private mutating func string() throws(LuaJSONError) {
        i += 1
        let start = i
        // Fast path: no escapes, push the slice as it is.
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                pushBytes(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                i += 1
                return
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw failure("control character in string") }
            i += 1
        }
        var buffer = Array(bytes[start..<i])
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                buffer.withUnsafeBufferPointer { pushBytes($0) }
                i += 1
                return
            }
            if c < 0x20 { throw failure("control character in string") }
            if c != UInt8(ascii: "\\") {
                buffer.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { break }
            switch bytes[i] {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                        throw failure("unpaired surrogate in \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("unpaired surrogate in \\u escape")
                }
                appendUTF8(scalar, to: &buffer)
            default:
                throw failure("invalid escape")
            }
            i += 1
        }
        throw failure("unterminated string")
    }

    /// Reads the 4 hex digits after `\u` (leaves `i` on the last digit).
    private mutating func hex4() throws(LuaJSONError) -> UInt32 {
        guard i + 4 < bytes.count else { throw failure("unexpected end of input in \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            i += 1
            let c = bytes[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func number() throws(LuaJSONError) {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < bytes.count, isDigit(bytes[i]) else { throw unexpected() }
        if bytes[i] == UInt8(ascii: "0"), i + 1 < bytes.count, isDigit(bytes[i + 1]) {
            i += 1
            throw failure("leading zero in number")
        }
        var magnitude: UInt64 = 0
        var overflow = false
        while i < bytes.count, isDigit(bytes[i]) {
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(bytes[i] - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = m2
            i += 1
        }
        var isFloat = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw failure("expected a digit after '.'") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw failure("expected a digit in the exponent") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if !isFloat, !overflow {
            if negative, magnitude <= UInt64(Int64.max) + 1 {
                lua_pushinteger(L, magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
                return
            }
            if !negative, magnitude <= UInt64(Int64.max) {
                lua_pushinteger(L, Int64(magnitude))
                return
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let value = Double(text) else { throw failure("invalid number") }
        // 1e400 is no number JSON can carry back (json.encode refuses an infinity).
        guard value.isFinite else { throw failure("number out of range") }
        lua_pushnumber(L, value)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private func pushBytes(_ slice: UnsafeBufferPointer<UInt8>) {
        _ = lua_pushlstring(L, slice.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, slice.count)
    }
}

/// Appends the UTF-8 encoding of `scalar`.
func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        buffer.append(UInt8(scalar))
    case 0x80..<0x800:
        buffer.append(UInt8(0xC0 | scalar >> 6))
        buffer.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
        buffer.append(UInt8(0xE0 | scalar >> 12))
        buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        buffer.append(UInt8(0x80 | scalar & 0x3F))
    default:
        buffer.append(UInt8(0xF0 | scalar >> 18))
        buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
        buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        buffer.append(UInt8(0x80 | scalar & 0x3F))
    }
}

/// The offset of the first byte that is not part of valid UTF-8, if any.
func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
        let c = bytes[i]
        if c < 0x80 {
            i += 1
            continue
        }
        let length: Int
        let minimum: UInt32
        var scalar: UInt32
        switch c {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(c & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(c & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(c & 0x07)
        default: return i
        }
        guard i + length <= n else { return i }
        for k in 1..<length {
            let b = bytes[i + k]
            guard b & 0xC0 == 0x80 else { return i }
            scalar = scalar << 6 | UInt32(b & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
        i += length
    }
    return nil
}
