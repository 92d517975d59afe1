/// One assistant and the number it answers on.
struct AssistantRecord: Codable, Sendable, Equatable {
    /// The assistant's id.
    var id: SandboxID
    /// The display name.
    var name: String
    /// Creation time, seconds since the epoch.
    var createdAt: Double
    /// The linked number (custom or default), if any.
    var phoneNumberID: SandboxID?

    enum CodingKeys: String, CodingKey {
        case id, name
        case createdAt = "created_at"
        case phoneNumberID = "phone_number_id"
    }
}
