/// `POST /v1/assistants/{id}/phone-number`: the outcome of linking a number.
///
/// When the link's response was lost (timeout, dropped connection, 5xx) and reading the
/// assistant back showed the number linked, ``reconciled`` is `true`, ``phoneNumber`` and
/// ``raw`` come from that read, and ``previousPhoneNumberID`` and ``releasedAssistants``
/// are `nil` because only the lost response knew them.
public struct LinkResult: Codable, Sendable, Equatable {
    /// The assistant's id.
    public var assistantID: String
    /// The number now linked.
    public var phoneNumber: PhoneNumber
    /// The number the assistant had before, which the server unlinked first, if any.
    public var previousPhoneNumberID: String?
    /// How many other assistants lost their default number (linking a shared number).
    public var releasedAssistants: Int?
    /// The server's message (`Phone number linked successfully`).
    public var message: String?
    /// `true` when the outcome was settled by reading the state back.
    public var reconciled: Bool
    /// The `data` object as the server sent it (of the read-back when reconciled).
    public var raw: JSONValue

    /// Creates a result.
    /// - Parameters:
    ///   - assistantID: the assistant's id.
    ///   - phoneNumber: the linked number.
    ///   - previousPhoneNumberID: the number unlinked first, if any.
    ///   - releasedAssistants: how many assistants lost a default number.
    ///   - message: the server's message.
    ///   - reconciled: whether the outcome was settled by reading back.
    ///   - raw: the server's object, if any.
    public init(assistantID: String, phoneNumber: PhoneNumber, previousPhoneNumberID: String?, releasedAssistants: Int?,
                message: String? = nil, reconciled: Bool = false, raw: JSONValue = .null) {
        self.assistantID = assistantID
        self.phoneNumber = phoneNumber
        self.previousPhoneNumberID = previousPhoneNumberID
        self.releasedAssistants = releasedAssistants
        self.message = message
        self.reconciled = reconciled
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case assistantID = "assistant_id"
        case phoneNumber = "phone_number"
        case previousPhoneNumberID = "previous_phone_number_id"
        case releasedAssistants = "released_assistants"
    }

    /// Decodes the server's `data` object (``message`` and ``reconciled`` are set by the client).
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assistantID = try container.decode(String.self, forKey: .assistantID)
        phoneNumber = try container.decode(PhoneNumber.self, forKey: .phoneNumber)
        previousPhoneNumberID = try container.decodeIfPresent(String.self, forKey: .previousPhoneNumberID)
        releasedAssistants = try container.decodeIfPresent(Int.self, forKey: .releasedAssistants)
        message = nil
        reconciled = false
    }
}

extension LinkResult: JSONFieldsDecodable {
    /// Reads the `data` object as ``init(from:)`` does, without `Codable`'s containers.
    init(json value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) throws {
        let fields = try JSONFields(value, parentPath: parentPath, key: key)
        raw = value
        assistantID = try fields.string("assistant_id")
        phoneNumber = try fields.model("phone_number")
        previousPhoneNumberID = try fields.optionalString("previous_phone_number_id")
        releasedAssistants = try fields.optionalInt("released_assistants")
        message = nil
        reconciled = false
    }
}
