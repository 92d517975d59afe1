/// One phone number: an account's own (custom) number or a shared default number.
struct PhoneNumberRecord: Codable, Sendable, Equatable {
    /// The number's id.
    var id: SandboxID
    /// The E.164 number (`+31201234567`).
    var number: String
    /// The kind, or nil where the provider does not say.
    var type: PhoneNumberType?
    /// The city or region, or nil (mobile, national, unknown).
    var locality: String?
    /// Shared default or the account's own.
    var origin: PhoneNumberOrigin
    /// Creation time, seconds since the epoch.
    var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case id, number, type, locality, origin
        case createdAt = "created_at"
    }
}
