extension FlireoClient {
    /// Sends any request, for endpoints without a typed operation, with the same errors,
    /// pacing and retries (GETs only are retried; nothing is reconciled).
    /// - Parameters:
    ///   - method: the method.
    ///   - path: the path from the API root (`/v1/assistants`); it may carry an encoded
    ///     query string. Characters that need it are percent-encoded; `%` is kept as is.
    ///   - query: more query items, encoded here.
    ///   - body: a JSON body, sent with `Content-Type: application/json`.
    /// - Returns: the whole response body (envelope included), `null` when empty.
    /// - Throws: ``FlireoError``: `invalid_parameters` for a path not starting with `/`, or request errors.
    public func request(
        method: FlireoMethod,
        path: String,
        query: [(name: String, value: String)] = [],
        body: JSONValue? = nil
    ) async throws -> JSONValue {
        try await run(operations.request(method: method, path: path, query: query, body: body))
    }

    /// Sends any request named by a method string (`"get"`, `"POST"`), as Lua passes it.
    /// - Parameters:
    ///   - method: the method name, any case.
    ///   - path: the path from the API root.
    ///   - query: more query items.
    ///   - body: a JSON body.
    /// - Returns: the whole response body, `null` when empty.
    /// - Throws: ``FlireoError``: `invalid_parameters` for an unknown method or bad path, or request errors.
    public func request(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        body: JSONValue? = nil
    ) async throws -> JSONValue {
        try await request(method: FlireoMethod(parsing: method), path: path, query: query, body: body)
    }

    /// Percent-encodes bytes that may not appear in a path or query (spaces, quotes,
    /// non-ASCII, controls), keeping `%` so already-encoded text passes unchanged.
    static func encodePath(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where "-._~!$&'()*+,;=:@/?%".utf8.contains(byte):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}

extension FlireoOperations {
    /// ``FlireoClient/request(method:path:query:body:)`` as an operation.
    /// - Parameters:
    ///   - method: the method.
    ///   - path: the path from the API root; it may carry an encoded query string.
    ///   - query: more query items, encoded here.
    ///   - body: a JSON body.
    /// - Returns: the operation, whose result is the whole response body (`null` when empty).
    /// - Throws: ``FlireoError`` `invalid_parameters` for a path not starting with `/`.
    public func request(
        method: FlireoMethod,
        path: String,
        query: [(name: String, value: String)] = [],
        body: JSONValue? = nil
    ) throws -> FlireoOperation<JSONValue> {
        guard path.hasPrefix("/"), !path.hasPrefix("//") else {
            throw FlireoError.invalidParameter(
                "path", "expected a path from the API root such as /v1/assistants, got \(FlireoError.quote(client.redactor.scrub(path)))"
            )
        }
        // A fragment is never sent to a server; encoded into the query it would change it.
        guard !path.contains("#") else {
            throw FlireoError.invalidParameter(
                "path", "a path and query without a fragment (#…), got \(FlireoError.quote(client.redactor.scrub(path)))"
            )
        }
        let endpoint = Endpoint(method.httpMethod, FlireoClient.encodePath(path), query: query, body: body)
        return FlireoOperation(endpoint) { $0 }
    }
}
