/// Removes API keys from anything that leaves the client: error messages and details
/// (a server or proxy may echo the key back), paths, trace events and configuration errors.
///
/// Besides every whole occurrence (and its percent-encoded form), it masks a key cut
/// short by an ellipsis (`…` or `...`), as quotations and excerpts end, so a shortened echo
/// cannot leave the key's first characters behind; and any run of 12 or more characters
/// of a key in any letter case (an echo that upper-cased the key, split it with a tag or
/// starred out its middle still shows such runs).
struct Redactor: Sendable {
    /// What replaces a key.
    static let mask = "[redacted]"

    /// Keys shorter than this would mask ordinary text; real keys are far longer.
    private static let shortestSecret = 4
    /// The shortest cut-off key prefix that is masked before an ellipsis.
    private static let shortestPrefix = 6
    /// The shortest run of a key's characters masked wherever it stands.
    private static let shortestFragment = 12

    private let secrets: [String]
    /// The secrets as lowercase ASCII bytes, for the fragment search.
    private let lowercased: [[UInt8]]

    init(secrets: [String]) {
        var all: [String] = []
        for secret in secrets where secret.count >= Self.shortestSecret {
            all.append(secret)
            let encoded = Endpoint.encode(secret)
            if encoded != secret { all.append(encoded) }
        }
        // Longest first, so a key that contains another is masked whole.
        self.secrets = all.sorted { $0.count > $1.count }
        lowercased = self.secrets.map { $0.utf8.map(Self.lower) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
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
        for ellipsis in ["…", "..."] where result.contains(ellipsis) {
            result = maskingCutPrefixes(result, before: ellipsis)
        }
        return maskingFragments(result)
    }

    /// Masks every run of at least ``shortestFragment`` characters that also stands in a
    /// secret, compared without regard to ASCII letter case.
    private func maskingFragments(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let length = Self.shortestFragment
        guard bytes.count >= length else { return text }
        let lower = bytes.map(Self.lower)
        var masked: [Range<Int>] = []
        for secret in lowercased where secret.count >= length {
            // A run holds only bytes of the secret: a window with another byte moves past it
            // at once (JSON's quotes, a UUID's dashes), so long texts are scanned in about
            // one pass instead of one comparison with the secret per byte.
            var inSecret = [Bool](repeating: false, count: 256)
            for byte in secret { inSecret[Int(byte)] = true }
            var start = 0
            while start + length <= lower.count {
                if let foreign = (start..<start + length).last(where: { !inSecret[Int(lower[$0])] }) {
                    start = foreign + 1
                    continue
                }
                guard Self.occurs(lower[start..<start + length], in: secret) else {
                    start += 1
                    continue
                }
                var end = start + length
                while end < lower.count, Self.occurs(lower[start...end], in: secret) { end += 1 }
                masked.append(start..<end)
                start = end
            }
        }
        guard !masked.isEmpty else { return text }
        // Overlapping runs (two secrets) merge; the text between them is kept.
        masked.sort { $0.lowerBound < $1.lowerBound }
        var output: [UInt8] = []
        var position = 0
        for range in masked {
            if range.lowerBound >= position {
                output += bytes[position..<range.lowerBound]
                output += Self.mask.utf8
                position = range.upperBound
            } else if range.upperBound > position {
                position = range.upperBound
            }
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `run` stands somewhere in `secret`.
    private static func occurs(_ run: ArraySlice<UInt8>, in secret: [UInt8]) -> Bool {
        guard run.count <= secret.count else { return false }
        for offset in 0...(secret.count - run.count) where secret[offset] == run.first {
            if secret[offset..<offset + run.count].elementsEqual(run) { return true }
        }
        return false
    }

    /// Masks the longest prefix of a secret that ends right before an ellipsis.
    private func maskingCutPrefixes(_ text: String, before ellipsis: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let cut = rest.firstRange(of: ellipsis) {
            var before = String(rest[..<cut.lowerBound])
            for secret in secrets {
                let longest = min(secret.count, before.count)
                guard longest >= Self.shortestPrefix else { continue }
                if let length = (Self.shortestPrefix...longest).reversed().first(where: { before.hasSuffix(secret.prefix($0)) }) {
                    before = String(before.dropLast(length)) + Self.mask
                    break
                }
            }
            result += before + ellipsis
            rest = rest[cut.upperBound...]
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
