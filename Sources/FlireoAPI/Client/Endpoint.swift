import NIOCore
import NIOHTTP1

/// One request to make: method, path, query and JSON body.
struct Endpoint: Sendable {
    let method: HTTPMethod
    /// The path, already percent-encoded where needed (`/v1/assistants/<uuid>/phone-number`).
    let path: String
    let query: [(name: String, value: String)]
    let body: JSONValue?

    init(_ method: HTTPMethod, _ path: String, query: [(name: String, value: String)] = [], body: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    /// Only GETs are retried after a 5xx or a transport failure.
    var isRetryable: Bool { method == .GET }

    /// The path with its encoded query string (`/v1/phone-numbers?limit=50&offset=0`).
    var target: String {
        guard !query.isEmpty else { return path }
        let separator = path.contains("?") ? "&" : "?"
        return path + separator + query.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    /// The path without any query string a raw request carried in it (errors name this).
    var pathWithoutQuery: String {
        path.firstIndex(of: "?").map { String(path[..<$0]) } ?? path
    }

    /// Percent-encodes everything outside RFC 3986's unreserved characters.
    static func encode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}

/// A successful (2xx) response.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: ByteBuffer
}
