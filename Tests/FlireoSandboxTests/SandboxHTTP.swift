import AsyncHTTPClient
import Foundation

/// The test-side client: one `send` over a real loopback socket. Kept to this file so it can
/// later be pointed at FlireoAPI's raw `request` with a small change.
struct SandboxHTTP: Sendable {
    /// A response: status, headers (names lowercased) and the body, parsed when it is JSON.
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String
        var json: JSONValue?

        /// The `error.code` of the envelope, if any.
        var errorCode: String? { json?["error"]?["code"]?.string }
    }

    /// The server's base URL, `http://127.0.0.1:PORT`.
    let baseURL: String
    /// The key sent unless a call says otherwise.
    let apiKey: String?

    /// Sends one request.
    /// - Parameters:
    ///   - method: `GET`, `POST`, …
    ///   - path: The path with its query, e.g. `/v1/assistants?limit=5`.
    ///   - body: A raw body (sent as is).
    ///   - contentType: Its content type; nil sends none.
    ///   - key: The API key; `.some(nil)` sends no Authorization header.
    ///   - headers: Extra headers (an `Authorization` here replaces the key's).
    ///   - streamed: Send the body chunked, without a Content-Length.
    ///   - timeoutSeconds: The deadline (AsyncHTTPClient retries a refused connection until then).
    /// - Returns: The reply.
    /// - Throws: Transport errors (a dropped connection among them).
    func send(
        _ method: String, _ path: String, body: String? = nil, contentType: String? = "application/json",
        key: String?? = .none, headers: [String: String] = [:], streamed: Bool = false,
        timeoutSeconds: Int64 = 30
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        let key = key ?? apiKey
        if let key, headers["Authorization"] == nil { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            if streamed {
                request.body = .bytes(Array(body.utf8), length: .unknown)
            } else {
                request.body = .bytes(.init(string: body))
            }
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeoutSeconds))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        let text = String(buffer: buffer)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        let json = headers["content-type"]?.hasPrefix("application/json") == true
            ? try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) : nil
        return Reply(status: Int(response.status.code), headers: headers, body: text, json: json)
    }

    /// Sends a JSON object body built from string members.
    func send(_ method: String, _ path: String, json members: [String: String], key: String?? = .none) async throws -> Reply {
        let data = try JSONSerialization.data(withJSONObject: members, options: [.sortedKeys])
        return try await send(method, path, body: String(decoding: data, as: UTF8.self), key: key)
    }
}
