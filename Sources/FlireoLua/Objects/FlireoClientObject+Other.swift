import FlireoAPI
import LuaKit

extension FlireoClientObject {
    /// Natives for available numbers, orders, verification groups and raw requests.
    static var otherMethods: [String: LuaMethod<FlireoClientObject>] {
        [
            "_available": .async { client, call in
                let connection = try client.connection()
                let options = try call.value(2)
                let type = options["type"].stringValue
                let query = options["query"].stringValue
                let limit = options["limit"].integerValue.map { Int($0) }
                let group = options["verification_group"].stringValue
                return .values {
                    let found: AvailablePhoneNumbers
                    if let group {
                        found = try await connection.availablePhoneNumbers(verificationGroupID: group, query: query, limit: limit)
                    } else {
                        found = try await connection.availablePhoneNumbers(type: type, query: query, limit: limit)
                    }
                    var fields: [(String, LuaValue)] = [
                        ("items", .table(LuaTable(array: found.numbers.map(\.record.value), shape: .array))),
                        ("raws", .table(LuaTable(array: found.numbers.map { $0.raw.luaValue(keepNulls: true) }))),
                    ]
                    if let total = found.totalResults { fields.append(("total_results", .integer(Int64(total)))) }
                    if let type = found.numberType { fields.append(("type", .string(type))) }
                    if let verification = found.requiresVerification { fields.append(("requires_verification", .boolean(verification))) }
                    return [.table(LuaTable(fields: fields)), found.raw.luaValue(keepNulls: true)]
                }
            },
            "_order": .async { client, call in
                let connection = try client.connection()
                let number = try call.string(2)
                let type = try call.optionalString(3)
                let group = try call.optionalString(4)
                return LuaAsyncOperation {
                    let placement: PhoneNumberOrderPlacement
                    if let group, type == nil || type == "local" {
                        placement = try await connection.orderPhoneNumber(number, throughVerificationGroup: group)
                    } else {
                        placement = try await connection.orderPhoneNumber(number, type: type, verificationGroupID: group)
                    }
                    return LuaRecord.result(placement.record, placement.raw)
                }
            },
            "_order_get": .async { client, call in
                let connection = try client.connection()
                let id = try call.string(2)
                return LuaAsyncOperation {
                    let order = try await connection.phoneNumberOrder(id: id)
                    return LuaRecord.result(order.record, order.raw)
                }
            },
            "_group_get": .async { client, call in
                let connection = try client.connection()
                let id = try call.string(2)
                return LuaAsyncOperation {
                    let group = try await connection.verificationGroup(id: id)
                    return LuaRecord.result(group.record, group.raw)
                }
            },
            "_group_create": .async { client, call in
                let connection = try client.connection()
                let fields = try call.value(2)
                func required(_ name: String) throws -> String {
                    guard let value = fields[name].stringValue, !value.isEmpty else {
                        throw FlireoError.invalidParameter("fields", "missing '\(name)'")
                    }
                    return value
                }
                let draft = VerificationGroupDraft(
                    phoneNumberType: try required("type"), name: try required("name"),
                    businessName: try required("business_name"),
                    contactPersonFirstName: try required("contact_person_first_name"),
                    contactPersonLastName: try required("contact_person_last_name"),
                    contactPersonPhone: try required("contact_person_phone"),
                    streetName: try required("street_name"), houseNumber: try required("house_number"),
                    postalCode: try required("postal_code"), city: try required("city"),
                    province: try required("province"), description: fields["description"].stringValue)
                return LuaAsyncOperation {
                    let created = try await connection.createVerificationGroup(draft)
                    var record = LuaRecord()
                    record.set("id", created.id)
                    record.set("message", created.message)
                    return LuaRecord.result(record, created.raw)
                }
            },
            "_request": .async { client, call in
                let connection = try client.connection()
                let method = try FlireoMethod(parsing: try call.string(2))
                let path = try call.string(3)
                // No body at all without one (`nil` alone would be JSONValue's own null, sent as `null`).
                let body: JSONValue? = call.isNil(4) ? .none : .some(try call.state.jsonValue(at: 4, on: call.L))
                let operation = try connection.operations.request(method: method, path: path, body: body)
                return .started(connection, operation) { response in
                    LuaAsyncResult { call in
                        response.push(call, keepNulls: true)
                        return 1
                    }
                }
            },
        ]
    }
}
