extension JSONValue {
    /// Parses a complete JSON document from UTF-8 bytes.
    /// - Parameter bytes: the document.
    /// - Throws: ``FlireoError`` with code `invalid_json` naming the byte offset.
    public init(parsing bytes: some Collection<UInt8>) throws {
        let result: Result<JSONValue, JSONParser.Failure>? = bytes.withContiguousStorageIfAvailable {
            buffer in
            Result { () throws(JSONParser.Failure) in try JSONParser.parse(UnsafeRawBufferPointer(buffer)) }
        }
        switch result ?? Array(bytes).withUnsafeBytes({ buffer in
            Result { () throws(JSONParser.Failure) in try JSONParser.parse(buffer) }
        }) {
        case .success(let value):
            self = value
        case .failure(let failure):
            throw FlireoError(
                code: .invalidJSON,
                message: "Invalid JSON at byte \(failure.offset): \(failure.reason)"
            )
        }
    }

    /// Parses a complete JSON document from text.
    /// - Parameter text: the document.
    /// - Throws: ``FlireoError`` with code `invalid_json` naming the byte offset.
    public init(parsing text: String) throws {
        try self.init(parsing: Array(text.utf8))
    }

    /// The value as compact UTF-8 JSON, object keys in their stored order; a NaN or infinite
    /// float (which JSON cannot carry) is written as `null`.
    public var serializedBytes: [UInt8] {
        JSONWriter.bytes(for: self, nonFinite: .null)
    }

    /// The value as compact UTF-8 JSON, object keys in their stored order.
    /// - Returns: the bytes.
    /// - Throws: ``FlireoError`` `invalid_parameters` when a float is NaN or infinite,
    ///   which JSON cannot carry.
    public func encoded() throws -> [UInt8] {
        var output: [UInt8] = []
        do {
            try JSONWriter.write(self, into: &output, nonFinite: .reject)
        } catch {
            throw FlireoError.invalidParameter("body", "a number is NaN or infinite, which JSON cannot carry")
        }
        return output
    }
}
