import FlireoAPI
import LuaKit

extension FlireoClientObject {
    /// `client:_page(kind, options, limit, offset)`: one page of a list, as
    /// `{items, raws, total, limit, offset, shared, shared_raws}`. The Lua side pages lazily.
    static var listMethods: [String: LuaMethod<FlireoClientObject>] {
        [
            "_page": .async { client, call in
                let connection = try client.connection()
                let kind = try call.string(2)
                let options = try call.value(3)
                let limit = Int(try call.integer(4))
                let offset = Int(try call.integer(5))
                let owner = client
                switch kind {
                case "assistants":
                    return .values {
                        let page = try await connection.assistantsPage(limit: limit, offset: offset)
                        owner.remember(assistants: page.items.map(\.id))
                        let items = page.items.map { LuaValue.object(AssistantObject(client: owner, id: $0.id, name: $0.name)) }
                        return [.table(pageTable(items: items, raws: page.items.map(\.raw), meta: page.meta))]
                    }
                case "phone_numbers":
                    let includeDefault = options["include_default"].booleanValue
                    return .values {
                        let page = try await connection.phoneNumbersPage(includeDefault: includeDefault, limit: limit, offset: offset)
                        owner.remember(accountNumbers: page.items, shared: page.sharedNumbers)
                        // One naming: the list's own numbers are the account's (custom), the
                        // shared ones its defaults, whether or not the server says so (with
                        // include_default, the defaults are in the list too).
                        let sharedIDs = Set(page.sharedNumbers.map(\.id))
                        let items = page.items.map { item in
                            var item = item
                            item.origin = item.origin ?? (sharedIDs.contains(item.id) ? "default" : "custom")
                            return item.record.value
                        }
                        let shared = page.sharedNumbers.map { number in
                            var number = number
                            number.origin = number.origin ?? "default"
                            return number.record.value
                        }
                        var table = pageTable(items: items, raws: page.items.map(\.raw), meta: page.meta)
                        table.hash.append((key: "shared", value: list(shared)))
                        table.hash.append((key: "shared_raws", value: list(page.sharedNumbers.map { $0.raw.luaValue(keepNulls: true) })))
                        return [.table(table)]
                    }
                case "orders":
                    let filter = PhoneNumberOrderFilter(
                        status: options["status"].stringValue,
                        verificationGroupID: options["verification_group"].stringValue,
                        type: options["type"].stringValue)
                    return .values {
                        let page = try await connection.phoneNumberOrdersPage(filter: filter, limit: limit, offset: offset)
                        return [.table(pageTable(items: page.items.map(\.record.value), raws: page.items.map(\.raw), meta: page.meta))]
                    }
                case "verification_groups":
                    let filter = VerificationGroupFilter(
                        status: options["status"].stringValue, phoneNumberType: options["type"].stringValue)
                    return .values {
                        let page = try await connection.verificationGroupsPage(filter: filter, limit: limit, offset: offset)
                        return [.table(pageTable(items: page.items.map(\.record.value), raws: page.items.map(\.raw), meta: page.meta))]
                    }
                default:
                    throw LuaArgumentError(index: 2, message: "unknown list '\(kind)'")
                }
            },
        ]
    }
}

private func list(_ values: [LuaValue]) -> LuaValue {
    .table(LuaTable(array: values, shape: .array))
}

/// `{items, raws, total, limit, offset}` for one page.
private func pageTable(items: [LuaValue], raws: [JSONValue], meta: PageMeta) -> LuaTable {
    var fields: [(String, LuaValue)] = [
        ("items", list(items)),
        ("raws", list(raws.map { $0.luaValue(keepNulls: true) })),
        ("total", .integer(Int64(meta.total))),
    ]
    if let limit = meta.limit { fields.append(("limit", .integer(Int64(limit)))) }
    if let offset = meta.offset { fields.append(("offset", .integer(Int64(offset)))) }
    return LuaTable(fields: fields)
}

extension LuaValue {
    /// The value as a boolean, if it is one.
    var booleanValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }
}
