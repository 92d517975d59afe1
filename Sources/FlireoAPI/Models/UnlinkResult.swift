/// `DELETE /v1/assistants/{id}/phone-number`: the outcome of unlinking.
///
/// When the unlink's response was lost and reading the assistant back showed nothing
/// linked, ``reconciled`` is `true` and ``unlinkedPhoneNumber`` is `nil` (only the lost
/// response knew it); ``raw`` is then the read-back's `data`.
public struct UnlinkResult: Codable, Sendable, Equatable {
    /// The assistant's id.
    public var assistantID: String
    /// The number that was unlinked (`id` and `number`), when known.
    public var unlinkedPhoneNumber: PhoneNumber?
    /// The server's message (`Phone number unlinked successfully`).
    public var message: String?
    /// `true` when the outcome was settled by reading the state back.
    public var reconciled: Bool
    /// The `data` object as the server sent it (of the read-back when reconciled).
    public var raw: JSONValue

    /// Creates a result.
    /// - Parameters:
    ///   - assistantID: the assistant's id.
    ///   - unlinkedPhoneNumber: the number unlinked, when known.
    ///   - message: the server's message.
    ///   - reconciled: whether the outcome was settled by reading back.
    ///   - raw: the server's object, if any.
    public init(assistantID: String, unlinkedPhoneNumber: PhoneNumber?, message: String? = nil, reconciled: Bool = false,
                raw: JSONValue = .null) {
        self.assistantID = assistantID
        self.unlinkedPhoneNumber = unlinkedPhoneNumber
        self.message = message
        self.reconciled = reconciled
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case assistantID = "assistant_id"
        case unlinkedPhoneNumber = "unlinked_phone_number"
    }

    /// Decodes the server's `data` object (``message`` and ``reconciled`` are set by the client).
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assistantID = try container.decode(String.self, forKey: .assistantID)
        unlinkedPhoneNumber = try container.decodeIfPresent(PhoneNumber.self, forKey: .unlinkedPhoneNumber)
        message = nil
        reconciled = false
    }
}

extension UnlinkResult: JSONFieldsDecodable {
    /// Reads the `data` object as ``init(from:)`` does, without `Codable`'s containers.
    init(json value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) throws {
        let fields = try JSONFields(value, parentPath: parentPath, key: key)
        raw = value
        assistantID = try fields.string("assistant_id")
        unlinkedPhoneNumber = try fields.optionalModel("unlinked_phone_number")
        message = nil
        reconciled = false
    }
}
