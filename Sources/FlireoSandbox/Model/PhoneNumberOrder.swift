/// An order for a new number; it completes asynchronously (pending, then success or failed).
struct PhoneNumberOrder: Codable, Sendable, Equatable {
    /// The order's status.
    enum Status: String, Codable, Sendable, CaseIterable {
        case pending
        case success
        case failed
    }

    /// The order's id.
    var id: SandboxID
    /// The ordered E.164 number.
    var phoneNumber: String
    /// The kind of number ordered.
    var numberType: PhoneNumberType
    /// The locality of the ordered number, if any.
    var locality: String?
    /// Current status.
    var status: Status
    /// Credits charged (refunded when the order fails).
    var creditsUsed: Int
    /// When it was placed, seconds since the epoch.
    var orderedAt: Double
    /// When a pending order settles, seconds since the epoch.
    var completesAt: Double
    /// The verification group it was ordered through (local numbers).
    var verificationGroupID: SandboxID?
    /// The id the number gets once the order succeeds.
    var phoneNumberID: SandboxID
    /// The provider's order reference.
    var externalOrderID: String
    /// The provider's sub-order reference.
    var externalSubOrderID: String

    enum CodingKeys: String, CodingKey {
        case id, status, locality
        case phoneNumber = "phone_number"
        case numberType = "number_type"
        case creditsUsed = "credits_used"
        case orderedAt = "ordered_at"
        case completesAt = "completes_at"
        case verificationGroupID = "verification_group_id"
        case phoneNumberID = "phone_number_id"
        case externalOrderID = "external_order_id"
        case externalSubOrderID = "external_sub_order_id"
    }

    /// The provider's references for an order: derived from the ids, so they are stable too.
    static func externalReferences(order id: SandboxID, number numberID: SandboxID) -> (order: String, subOrder: String) {
        ("ext-ord-\(id.description.prefix(8))", "ext-sub-\(numberID.description.prefix(8))")
    }

    /// Orders for numbers ending in "00" fail: a documented, deterministic way to reach `failed`.
    static func willFail(_ number: String) -> Bool {
        number.hasSuffix("00")
    }
}
