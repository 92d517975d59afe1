import CLua
import CLuaBridge

/// Writes a Lua value (read in place from the stack) as JSON text.
///
/// A table is an array when marked so (`json.array`, or decoded from `[...]`) or when
/// its keys are exactly `1...n`; an object when marked so or when its keys are all
/// strings (written sorted, so the output is stable). An empty unmarked table is `{}`.
/// Floats keep a fraction or exponent (`1.0`), so they decode as floats again.
struct LuaJSONEncoder {
    struct Options {
        /// Spaces per level; nil for compact output.
        var indent: Int?
    }

    private let L: OpaquePointer
    private let state: LuaState
    private let options: Options
    private var out: [UInt8] = []
    private var path: [String] = ["$"]
    private var visiting: [UnsafeRawPointer] = []

    /// Encodes the value at `index`.
    /// - Throws: `LuaJSONError` naming the path of a value JSON cannot hold.
    static func encode(_ L: OpaquePointer, _ index: Int32, options: Options = Options()) throws(LuaJSONError) -> [UInt8] {
        var encoder = LuaJSONEncoder(L: L, state: LuaState.owner(of: L), options: options)
        let base = lua_gettop(L)
        do throws(LuaJSONError) {
            try encoder.value(lua_absindex(L, index))
        } catch {
            lua_settop(L, base)
            throw error
        }
        return encoder.out
    }

    private init(L: OpaquePointer, state: LuaState, options: Options) {
        self.L = L
        self.state = state
        self.options = options
        out.reserveCapacity(256)
    }

    /// The error, at its path; a deep path keeps its first and last 8 steps.
    private func failure(_ what: String) -> LuaJSONError {
        let shown = path.count <= 17 ? path.joined()
            : path.prefix(9).joined() + "…(\(path.count - 17) more)…" + path.suffix(8).joined()
        return LuaJSONError("\(what) at \(shown)")
    }

    private mutating func append(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func append(_ s: String) {
        out.append(contentsOf: s.utf8)
    }

    private mutating func value(_ index: Int32) throws(LuaJSONError) {
        switch lua_type(L, index) {
        case LUA_TNIL:
            append("null")
        case LUA_TBOOLEAN:
            append(lua_toboolean(L, index) != 0 ? "true" : "false")
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 {
                append(String(clb_tointeger(L, index, nil)))
            } else {
                let d = clb_tonumber(L, index, nil)
                guard d.isFinite else { throw failure("cannot encode \(d.isNaN ? "NaN" : "an infinite number")") }
                append(d.description)  // shortest round-trip form, always with '.' or 'e'
            }
        case LUA_TSTRING:
            var length = 0
            let p = clb_tostring(L, index, &length)
            try string(UnsafeBufferPointer(start: UnsafeRawPointer(p)?.assumingMemoryBound(to: UInt8.self), count: length))
        case LUA_TTABLE:
            // A proxy (flireo.config: its settings behind __index) names what stands for it
            // in JSON with a `__json` table in its metatable; read raw, so no Lua code runs.
            let stand = luaL_getmetafield(L, index, "__json")
            if stand == LUA_TTABLE {
                defer { clb_pop(L, 1) }
                try table(lua_gettop(L))
            } else {
                if stand != LUA_TNIL { clb_pop(L, 1) }
                try table(index)
            }
        case LUA_TUSERDATA, LUA_TLIGHTUSERDATA:
            if state.isNull(L, index) {
                append("null")
                return
            }
            if let pointer = clb_toanyobject(L, index, nil),
               let object = Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? any LuaObject,
               let json = object.luaJSONValue
            {
                state.push(json, on: L)
                defer { clb_pop(L, 1) }
                try value(lua_gettop(L))
                return
            }
            throw failure("cannot encode a \(typeName(index))")
        default:
            throw failure("cannot encode a \(typeName(index))")
        }
    }

    private func typeName(_ index: Int32) -> String {
        if luaL_getmetafield(L, index, "__name") == LUA_TSTRING, let name = rawString(L, -1) {
            clb_pop(L, 1)
            return name
        }
        return LuaType(rawValue: lua_type(L, index))?.name ?? "value"
    }

    private mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) throws(LuaJSONError) {
        if firstInvalidUTF8(bytes) != nil { throw failure("cannot encode a string that is not valid UTF-8") }
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for (k, c) in bytes.enumerated() where c < 0x20 || c == 0x22 || c == 0x5C {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k]))
            switch c {
            case 0x22: append("\\\"")
            case 0x5C: append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            default:
                append("\\u00")
                out.append(hexDigit(c >> 4))
                out.append(hexDigit(c & 0xF))
            }
            runStart = k + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    private func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }

    private mutating func newline(_ depth: Int) {
        guard let indent = options.indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    private mutating func table(_ index: Int32) throws(LuaJSONError) {
        guard let identity = lua_topointer(L, index) else { return }
        if visiting.contains(identity) { throw failure("cannot encode a table that contains itself") }
        guard visiting.count < LuaJSONDecoder.maximumDepth else {
            throw failure("cannot encode tables nested deeper than \(LuaJSONDecoder.maximumDepth) levels")
        }
        guard lua_checkstack(L, 6) != 0 else { throw failure("stack overflow") }
        visiting.append(identity)
        defer { visiting.removeLast() }

        // Classify by the keys: count, the largest integer key, and whether all are strings.
        var count: lua_Integer = 0
        var maxIndex: lua_Integer = 0
        var allStrings = true
        var allPositiveIntegers = true
        var firstOddKey: String?
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            count += 1
            let keyType = lua_type(L, -2)
            if keyType == LUA_TNUMBER, lua_isinteger(L, -2) != 0, clb_tointeger(L, -2, nil) >= 1 {
                maxIndex = max(maxIndex, clb_tointeger(L, -2, nil))
                allStrings = false
            } else {
                allPositiveIntegers = false
                if keyType != LUA_TSTRING {
                    allStrings = false
                    if firstOddKey == nil { firstOddKey = keyDescription(-2) }
                }
            }
            clb_pop(L, 1)
        }

        switch state.jsonShape(L, index) {
        case .array:
            guard count == 0 || (allPositiveIntegers && maxIndex == count) else {
                throw failure("cannot encode an array with holes or non-index keys")
            }
            try array(index, count: count)
        case .object:
            guard allStrings || count == 0 else {
                throw failure("cannot encode an object with a non-string key (\(firstOddKey ?? "a number"))")
            }
            try object(index)
        case .unspecified:
            if count == 0 {
                append("{}")
            } else if allPositiveIntegers, maxIndex == count {
                try array(index, count: count)
            } else if allStrings {
                try object(index)
            } else if allPositiveIntegers {
                throw failure("cannot encode a sparse array (\(count) values, largest index \(maxIndex))")
            } else {
                throw failure("cannot encode a table with mixed keys (\(firstOddKey ?? "numbers and strings"))")
            }
        }
    }

    private func keyDescription(_ index: Int32) -> String {
        switch lua_type(L, index) {
        case LUA_TNUMBER:
            lua_isinteger(L, index) != 0 ? String(clb_tointeger(L, index, nil)) : String(clb_tonumber(L, index, nil))
        case LUA_TBOOLEAN:
            lua_toboolean(L, index) != 0 ? "true" : "false"
        default:
            "a \(LuaType(rawValue: lua_type(L, index))?.name ?? "value") key"
        }
    }

    private mutating func array(_ index: Int32, count: lua_Integer) throws(LuaJSONError) {
        guard count > 0 else {
            append("[]")
            return
        }
        out.append(UInt8(ascii: "["))
        let depth = visiting.count
        for k in 1...count {
            if k > 1 { out.append(UInt8(ascii: ",")) }
            newline(depth)
            lua_rawgeti(L, index, k)
            path.append("[\(k)]")
            try value(lua_gettop(L))
            path.removeLast()
            clb_pop(L, 1)
        }
        newline(depth - 1)
        out.append(UInt8(ascii: "]"))
    }

    private mutating func object(_ index: Int32) throws(LuaJSONError) {
        var keys: [[UInt8]] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            var length = 0
            let p = clb_tostring(L, -2, &length)
            keys.append(Array(UnsafeRawBufferPointer(start: p, count: length)))
            clb_pop(L, 1)
        }
        guard !keys.isEmpty else {
            append("{}")
            return
        }
        keys.sort { $0.lexicographicallyPrecedes($1) }
        out.append(UInt8(ascii: "{"))
        let depth = visiting.count
        for (k, key) in keys.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            newline(depth)
            try key.withUnsafeBufferPointer { buffer throws(LuaJSONError) in try string(buffer) }
            out.append(UInt8(ascii: ":"))
            if options.indent != nil { out.append(UInt8(ascii: " ")) }
            key.withUnsafeBufferPointer { buffer in
                _ = lua_pushlstring(L, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buffer.count)
            }
            lua_rawget(L, index)
            path.append(".\(String(decoding: key, as: UTF8.self))")
            try value(lua_gettop(L))
            path.removeLast()
            clb_pop(L, 1)
        }
        newline(depth - 1)
        out.append(UInt8(ascii: "}"))
    }
}
