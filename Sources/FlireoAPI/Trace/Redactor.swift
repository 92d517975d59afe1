/// Removes API keys from anything that leaves the client: error messages and details
/// (a server or proxy may echo the key back), paths, trace events and configuration errors.
///
/// Besides every whole occurrence (and its percent-encoded form), it masks a key cut
/// short by an ellipsis, as quotations and excerpts end, so a shortened echo cannot leave
/// the key's first characters behind.
struct Redactor: Sendable {
    /// What replaces a key.
    static let mask = "[redacted]"

    /// Keys shorter than this would mask ordinary text; real keys are far longer.
    private static let shortestSecret = 4
    /// The shortest cut-off key prefix that is masked before an ellipsis.
    private static let shortestPrefix = 6

    private let secrets: [String]

    init(secrets: [String]) {
        var all: [String] = []
        for secret in secrets where secret.count >= Self.shortestSecret {
            all.append(secret)
            let encoded = Endpoint.encode(secret)
            if encoded != secret { all.append(encoded) }
        }
        // Longest first, so a key that contains another is masked whole.
        self.secrets = all.sorted { $0.count > $1.count }
    }

    init(apiKey: APIKey?) {
        self.init(secrets: apiKey.map { [$0.secret] } ?? [])
    }

    func scrub(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Self.mask)
        }
        return result.contains("…") ? maskingCutPrefixes(result) : result
    }

    /// Masks the longest prefix of a secret that ends right before an ellipsis.
    private func maskingCutPrefixes(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let ellipsis = rest.firstIndex(of: "…") {
            var before = String(rest[..<ellipsis])
            for secret in secrets {
                let longest = min(secret.count, before.count)
                guard longest >= Self.shortestPrefix else { continue }
                if let length = (Self.shortestPrefix...longest).reversed().first(where: { before.hasSuffix(secret.prefix($0)) }) {
                    before = String(before.dropLast(length)) + Self.mask
                    break
                }
            }
            result += before + "…"
            rest = rest[rest.index(after: ellipsis)...]
        }
        return result + rest
    }

    func scrub(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return value }
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
        guard !secrets.isEmpty else { return error }
        var clean = error
        clean.code = FlireoError.Code(rawValue: scrub(error.code.rawValue))
        clean.message = scrub(error.message)
        clean.details = error.details.map(scrub)
        clean.path = error.path.map(scrub)
        return clean
    }

    func scrub(_ event: TraceEvent) -> TraceEvent {
        guard !secrets.isEmpty else { return event }
        var clean = event
        clean.target = scrub(event.target)
        clean.note = event.note.map(scrub)
        return clean
    }
}
