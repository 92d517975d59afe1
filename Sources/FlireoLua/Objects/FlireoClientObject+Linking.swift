#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI
import LuaKit
import Synchronization

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

/// Whether a mutation stopped by Ctrl-C after it was sent is reported on stderr as it
/// happens (the REPL: the person who pressed Ctrl-C decides what to do next; a bulk
/// script's journal keeps such steps in doubt instead).
public enum InterruptedMutations {
    private static let flag = Mutex(false)

    /// Report them (off by default).
    public static var reported: Bool {
        get { flag.withLock { $0 } }
        set { flag.withLock { $0 = newValue } }
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
            let call = client.start(operation) { outcome in
                if case .failure(let failure) = outcome, let error = failure as? FlireoError, error.code == .cancelled,
                   error.outcomeUnknown, InterruptedMutations.reported {
                    // What it asked for, as the check needs it: a link names its number.
                    let asked = operation.requestBody?["phone_number_id"]?.stringValue.map { " (phone_number_id \($0))" } ?? ""
                    let request = [error.method, error.path].compactMap { $0 }.joined(separator: " ") + asked
                    // After the terminal's `^C` echo, on a line of its own.
                    let line = (isatty(2) != 0 ? "\n" : "") + "flireo: warning: \(request) was interrupted after it was sent: the server may have "
                        + "applied it; check before sending it again\n"
                    writeStandardError(line)
                }
                completion(outcome.map(result))
            }
            return { call.cancel() }
        }
    }
}
