/// Filters of `GET /v1/phone-number-orders`; `nil` fields are not sent.
public struct PhoneNumberOrderFilter: Sendable, Equatable {
    /// `pending`, `success` or `failed`.
    public var status: String?
    /// Orders placed through this verification group (UUID).
    public var verificationGroupID: String?
    /// `local`, `mobile` or `national`.
    public var type: String?

    /// Creates a filter.
    /// - Parameters:
    ///   - status: `pending`, `success` or `failed`.
    ///   - verificationGroupID: the verification group.
    ///   - type: the number type.
    public init(status: String? = nil, verificationGroupID: String? = nil, type: String? = nil) {
        self.status = status
        self.verificationGroupID = verificationGroupID
        self.type = type
    }
}
