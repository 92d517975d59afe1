/// Removes the API key from anything that leaves the client: error messages and details
/// (a server or proxy may echo the key back), paths, and trace events.
struct Redactor: Sendable {
    /// What replaces the key.
    static let mask = "[redacted]"

    private let secret: String?

    init(apiKey: APIKey?) {
        // A key of a few characters would mask ordinary text; real keys are far longer.
        if let apiKey, apiKey.secret.count >= 4 {
            secret = apiKey.secret
        } else {
            secret = nil
        }
    }

    func scrub(_ text: String) -> String {
        guard let secret, text.contains(secret) else { return text }
        return text.replacing(secret, with: Self.mask)
    }

    func scrub(_ value: JSONValue) -> JSONValue {
        guard secret != nil else { return value }
        switch value {
        case .string(let text):
            return .string(scrub(text))
        case .array(let items):
            return .array(items.map(scrub))
        case .object(let object):
            return .object(JSONObject(object.entries.map { (scrub($0.key), scrub($0.value)) }))
        default:
            return value
        }
    }

    func scrub(_ error: FlireoError) -> FlireoError {
        guard secret != nil else { return error }
        var clean = error
        clean.code = FlireoError.Code(rawValue: scrub(error.code.rawValue))
        clean.message = scrub(error.message)
        clean.details = error.details.map(scrub)
        clean.path = error.path.map(scrub)
        return clean
    }

    func scrub(_ event: TraceEvent) -> TraceEvent {
        guard secret != nil else { return event }
        var clean = event
        clean.target = scrub(event.target)
        clean.note = event.note.map(scrub)
        return clean
    }
}
