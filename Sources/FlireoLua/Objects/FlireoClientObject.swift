import FlireoAPI
import LuaKit
import Synchronization

/// `flireo.Client`: one configured connection to a Flireo server, as Lua sees it. The
/// `flireo` module's functions call its natives; its configuration error (no base URL,
/// a key file that is not 0600, …) is raised by the first call that needs the server,
/// so scripts that never touch the API run without one.
public final class FlireoClientObject: LuaObject {
    public static let luaTypeName = "flireo.Client"

    private let configuration: Result<FlireoConfiguration, FlireoError>
    var configurationResult: Result<FlireoConfiguration, FlireoError> { configuration }
    private let client = Mutex<FlireoClient?>(nil)
    /// Ids and numbers seen so far (for a REPL's completion).
    let known = Mutex(KnownIdentifiers())

    /// A number unique to this client in the process: how Lua finds a client's settings
    /// from one of its assistants (each push of a client is a new userdata).
    let serial: Int
    private static let serials = Mutex(0)

    /// A client from a resolved configuration, or the error resolving it gave.
    public init(configuration: Result<FlireoConfiguration, FlireoError>) {
        self.configuration = configuration
        serial = Self.serials.withLock { next in
            next += 1
            return next
        }
    }

    /// The base URL this client talks to, if configured (without trailing slashes).
    public var baseURL: String? {
        (try? configuration.get())?.baseURL
    }

    /// The profile of the config file the configuration came from, if one took part.
    public var profile: String? {
        (try? configuration.get())?.sources.profile
    }

    /// Why the client cannot reach a server yet (no base URL, no key, …), if so.
    public var configurationProblem: String? {
        if case .failure(let error) = configuration { return error.message }
        return nil
    }

    /// The API key, for hosts that must keep it out of history and output.
    public var apiKey: String? {
        (try? configuration.get())?.apiKey?.revealed
    }

    /// The FlireoClient, created on first use (it starts the shared HTTP client).
    func connection() throws -> FlireoClient {
        try client.withLock { client in
            if let client { return client }
            let made = try FlireoClient(configuration: configuration.get())
            client = made
            return made
        }
    }

    public var luaDescription: String { "flireo.client<\(baseURL ?? "not configured")>" }

    public func luaEquals(_ other: FlireoClientObject) -> Bool { self === other }

    public static var luaFieldNames: [String] { ["account_tag", "base_url", "requests_per_second", "serial"] }

    public func luaField(_ name: String) -> LuaValue? {
        switch name {
        case "base_url": baseURL.map { .string($0) }
        case "serial": .integer(Int64(serial))
        // Which key on which server, for a journal: 12 hex digits of a hash, which tell two
        // keys apart without saying anything of either (nil when not configured).
        case "account_tag":
            apiKey.map { key in
                var hash = FNV1a()
                for part in ["flireo account tag", baseURL ?? "", key] {
                    (Array(part.utf8) + [0]).withUnsafeBytes { hash.combine($0) }
                }
                return .string(String(hash.hex.prefix(12)))
            }
        // The client's pacing in requests per second; nil when off or not configured.
        case "requests_per_second":
            ((try? configuration.get())?.rateLimit).map { limit in
                let seconds = Double(limit.interval.components.seconds) + Double(limit.interval.components.attoseconds) / 1e18
                return .number(Double(limit.requests) / seconds)
            }
        default: nil
        }
    }

    public static var luaMethods: [String: LuaMethod<FlireoClientObject>] {
        linkingMethods.merging(listMethods) { a, _ in a }.merging(otherMethods) { a, _ in a }
    }
}
