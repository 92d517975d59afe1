extension FlireoError {
    /// `invalid_response` naming the field a response got wrong:
    /// `data.phone_number.id missing`, `data[2].id: expected a string, found a number`.
    /// - Parameters:
    ///   - error: the decoding failure.
    ///   - status: the HTTP status of the response.
    /// - Returns: the error.
    static func modelMismatch(_ error: any Error, status: Int?) -> FlireoError {
        guard let decodingError = error as? DecodingError else {
            if let flireoError = error as? FlireoError { return flireoError }
            return .invalidResponse("the response does not match its model: \(error)", status: status)
        }
        let message: String
        switch decodingError {
        case .keyNotFound(let key, let context):
            message = "\(pathText(context.codingPath + [key])) missing"
        case .typeMismatch(_, let context):
            message = "\(pathText(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(_, let context):
            message = "\(pathText(context.codingPath)) missing"
        case .dataCorrupted(let context):
            message = "\(pathText(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            message = "the response does not match its model"
        }
        return .invalidResponse(message, status: status)
    }

    /// A coding path as a person writes it: `data.items[3].phone_number`.
    static func pathText(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text.isEmpty ? "response" : text
    }
}
