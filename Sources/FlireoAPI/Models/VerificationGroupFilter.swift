/// Filters of `GET /v1/verification-groups`; `nil` fields are not sent.
public struct VerificationGroupFilter: Sendable, Equatable {
    /// `pending`, `approved`, `rejected` or `deleted`.
    public var status: String?
    /// `local`, `mobile` or `national`.
    public var phoneNumberType: String?

    /// Creates a filter.
    /// - Parameters:
    ///   - status: the group status.
    ///   - phoneNumberType: the number type.
    public init(status: String? = nil, phoneNumberType: String? = nil) {
        self.status = status
        self.phoneNumberType = phoneNumberType
    }
}
