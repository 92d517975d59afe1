import FlireoAPI
import LuaKit

extension FlireoClientObject {
    /// Natives for one assistant's link. Each returns the record and the server's object.
    static var linkingMethods: [String: LuaMethod<FlireoClientObject>] {
        [
            "_link_of": .async { client, call in
                let connection = try client.connection()
                let assistant = try call.string(2)
                return LuaAsyncOperation {
                    let link = try await connection.phoneNumber(assistantID: assistant)
                    client.remember(assistants: [assistant], numbers: [link.phoneNumber])
                    return LuaRecord.result(link.record, link.raw)
                }
            },
            "_link": .async { client, call in
                let connection = try client.connection()
                let assistant = try call.string(2)
                let number = try call.string(3)
                return LuaAsyncOperation {
                    let result = try await connection.link(assistantID: assistant, phoneNumberID: number)
                    client.remember(assistants: [assistant], numbers: [result.phoneNumber])
                    return LuaRecord.result(result.record, result.raw)
                }
            },
            "_unlink": .async { client, call in
                let connection = try client.connection()
                let assistant = try call.string(2)
                return LuaAsyncOperation {
                    let result = try await connection.unlink(assistantID: assistant)
                    return LuaRecord.result(result.record, result.raw)
                }
            },
            "_assistant": .async { client, call in
                let connection = try client.connection()
                let assistant = try call.string(2)
                return LuaAsyncOperation {
                    let record = try await connection.assistant(id: assistant)
                    return LuaRecord.result(record.record, record.raw)
                }
            },
        ]
    }
}
