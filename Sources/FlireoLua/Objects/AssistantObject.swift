import FlireoAPI
import LuaKit
import Synchronization

/// `flireo.Assistant`: an assistant by id, bound to the client it came from. Its public
/// methods (`:phone()`, `:link()`, `:unlink()`, `:get()`) are written in Lua by the
/// `flireo` module over the client's natives; natively it only knows its id, the name
/// the last response carried, and its client.
public final class AssistantObject: LuaObject {
    public static let luaTypeName = "flireo.Assistant"

    let client: FlireoClientObject
    /// The assistant's UUID.
    public let id: String
    private let name: Mutex<String?>

    init(client: FlireoClientObject, id: String, name: String?) {
        self.client = client
        self.id = id
        self.name = Mutex(name)
    }

    /// `a.id` and `a.name` (client_serial is internal: it tells clients apart).
    public static var luaFieldNames: [String] { ["id", "name"] }

    public func luaField(_ field: String) -> LuaValue? {
        switch field {
        case "id": .string(id)
        case "name": name.withLock { $0 }.map { .string($0) }
        case "client_serial": .integer(Int64(client.serial))
        default: nil
        }
    }

    /// `flireo.assistant<660e8400…>`, with the name once known.
    public var luaDescription: String {
        let short = String(id.prefix(8)) + "…"
        guard let known = name.withLock({ $0 }) else { return "flireo.assistant<\(short)>" }
        // A name is the server's text: shown, never acted on by the terminal.
        return "flireo.assistant<\(short) \"\(TerminalText.printable(known, limit: 80))\">"
    }

    /// The same assistant on the same server.
    public func luaEquals(_ other: AssistantObject) -> Bool {
        id.lowercased() == other.id.lowercased() && client.baseURL == other.client.baseURL
    }

    /// JSON holds an assistant as its id.
    public var luaJSONValue: LuaValue? { .string(id) }

    public static var luaMethods: [String: LuaMethod<AssistantObject>] {
        [
            "_remember": .sync { assistant, call in
                if let name = try call.optionalString(2) { assistant.name.withLock { $0 = name } }
                return 0
            },
        ]
    }
}
