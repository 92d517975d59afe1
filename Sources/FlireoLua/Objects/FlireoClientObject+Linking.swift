import FlireoAPI
import LuaKit

extension FlireoClientObject {
    /// Natives for one assistant's link. Each returns the record and the server's object.
    static var linkingMethods: [String: LuaMethod<FlireoClientObject>] {
        [
            "_link_of": .async { client, call in
                let connection = try client.connection()
                let assistant = try call.string(2)
                return .started(connection, try connection.operations.phoneNumber(assistantID: assistant)) { link in
                    client.remember(assistants: [assistant], numbers: [link.phoneNumber])
                    return LuaRecord.result(link.record, link.raw)
                }
            },
            "_link": .async { client, call in
                let connection = try client.connection()
                let assistant = try call.string(2)
                let operation = try connection.operations.link(assistantID: assistant, phoneNumberID: try call.string(3))
                return .started(connection, operation) { result in
                    client.remember(assistants: [assistant], numbers: [result.phoneNumber])
                    return LuaRecord.result(result.record, result.raw)
                }
            },
            "_unlink": .async { client, call in
                let connection = try client.connection()
                let operation = try connection.operations.unlink(assistantID: try call.string(2))
                return .started(connection, operation) { LuaRecord.result($0.record, $0.raw) }
            },
            "_assistant": .async { client, call in
                let connection = try client.connection()
                let operation = try connection.operations.assistant(id: try call.string(2))
                return .started(connection, operation) { LuaRecord.result($0.record, $0.raw) }
            },
        ]
    }
}

extension LuaAsyncOperation {
    /// Starts `operation` without a Swift task: the common case runs from the Lua thread
    /// to the HTTP client's event loop and wakes the Lua thread from there. `result`
    /// turns the value into what Lua receives; Ctrl-C and `task:cancel()` cancel the call.
    static func started<Value>(
        _ client: FlireoClient, _ operation: FlireoOperation<Value>,
        _ result: @escaping @Sendable (Value) -> LuaAsyncResult
    ) -> LuaAsyncOperation {
        .starting { completion in
            let call = client.start(operation) { outcome in completion(outcome.map(result)) }
            return { call.cancel() }
        }
    }
}
