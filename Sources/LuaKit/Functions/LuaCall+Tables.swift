import CLua
import CLuaBridge

// Building result tables straight on the stack, for hosts that turn their own data into
// Lua without an intermediate `LuaValue` tree. None of these can raise: fields are set
// raw (no metamethods), and the state's allocator aborts rather than fail.
extension LuaCall {
    /// Pushes a new empty table sized for `array` sequence items and `fields` other keys.
    /// - Parameters:
    ///   - array: items expected at 1...n.
    ///   - fields: other keys expected.
    public func pushTable(array: Int = 0, fields: Int = 0) {
        // Room for the table, a key and a value, and a nested table's own key and value.
        _ = lua_checkstack(L, 5)
        lua_createtable(L, Int32(clamping: array), Int32(clamping: fields))
    }

    /// Sets field `name` of the table below the value on top to that value, popping it.
    /// - Parameter name: the key.
    public func setField(_ name: String) {
        push(name)
        clb_insert(L, -2)
        lua_rawset(L, -3)
    }

    /// Sets field `name` of the table on top to `text`; does nothing for `nil`.
    /// - Parameters:
    ///   - name: the key.
    ///   - text: the value, or `nil` to leave the key out.
    public func setField(_ name: String, _ text: String?) {
        guard let text else { return }
        push(name)
        push(text)
        lua_rawset(L, -3)
    }

    /// Sets field `name` of the table on top to `number`; does nothing for `nil`.
    /// - Parameters:
    ///   - name: the key.
    ///   - number: the value, or `nil` to leave the key out.
    public func setField(_ name: String, _ number: Int?) {
        guard let number else { return }
        push(name)
        push(number)
        lua_rawset(L, -3)
    }

    /// Sets field `name` of the table on top to `flag`; does nothing for `nil`.
    /// - Parameters:
    ///   - name: the key.
    ///   - flag: the value, or `nil` to leave the key out.
    public func setField(_ name: String, _ flag: Bool?) {
        guard let flag else { return }
        push(name)
        push(flag)
        lua_rawset(L, -3)
    }

    /// Sets item `index` of the table below the value on top to that value, popping it.
    /// - Parameter index: the 1-based position.
    public func setItem(_ index: Int) {
        lua_rawseti(L, -2, lua_Integer(index))
    }

    /// Pushes `items` as a sequence marked as a JSON array (so an empty one encodes as `[]`).
    /// - Parameters:
    ///   - items: the items, in order.
    ///   - pushItem: pushes one item (exactly one value).
    public func pushArray<Items: Collection>(_ items: Items, _ pushItem: (Items.Element) -> Void) {
        pushTable(array: items.count)
        for (offset, item) in items.enumerated() {
            pushItem(item)
            setItem(offset + 1)
        }
        markJSON(.array)
    }

    /// Marks the table on top as a JSON array or object, so an empty one encodes as `[]`
    /// or `{}` (as `json.array` and `json.object` do).
    /// - Parameter shape: the shape; `.unspecified` leaves the table unmarked.
    public func markJSON(_ shape: LuaTable.Shape) {
        state.setJSONShape(shape, L)
    }

    /// Pushes the JSON null sentinel (`json.null`).
    public func pushNull() {
        state.pushNull(L)
    }
}
