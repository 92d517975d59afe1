extension FlireoClient {
    /// Sends `endpoint`, parses the body and decodes it with `decode`. Any failure comes out
    /// as a redacted ``FlireoError`` carrying the method and path; a body that is not JSON
    /// or not the expected shape is `invalid_response` naming the field.
    func perform<T: Sendable>(_ endpoint: Endpoint, _ decode: @escaping @Sendable (JSONValue) throws -> T) async throws -> T {
        try await run(FlireoOperation(endpoint, decode: decode))
    }

    /// The result of a 2xx reply: its body parsed (`null` when blank) and decoded.
    /// - Throws: ``FlireoError`` `invalid_response`, redacted and tagged with the method and path.
    func value<T>(of reply: Reply, for endpoint: Endpoint, _ decode: (JSONValue) throws -> T) throws -> T {
        do {
            let body: JSONValue
            var bytes = reply.body.readableBytesView
            // A UTF-8 byte order mark, which RFC 8259 lets a reader ignore (some servers send one).
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                // Raw requests take an empty answer (a 204) as null; a model is told it is empty.
                do {
                    return try decode(.null)
                } catch {
                    throw FlireoError.invalidResponse("the response body is empty (\(reply.status)), where JSON was expected",
                                                      status: reply.status)
                }
            } else {
                do {
                    body = try JSONValue(parsing: bytes)
                } catch let error as FlireoError {
                    if let encoding = FlireoError.unaskedEncoding(reply.headers) {
                        throw FlireoError.invalidResponse(encoding, status: reply.status)
                    }
                    let excerpt = FlireoError.excerpt(of: Array(bytes), redactor: redactor).map { ": \($0)" } ?? ""
                    throw FlireoError.invalidResponse("the body is not JSON (\(error.message))\(excerpt)", status: reply.status)
                }
            }
            return try decode(body)
        } catch {
            throw finished(FlireoError.modelMismatch(error, status: reply.status), endpoint)
        }
    }
}
