/// The kind of a phone number, as the API names it (`type` / `number_type`).
enum PhoneNumberType: String, Codable, Sendable, CaseIterable {
    case local
    case mobile
    case national
}

/// Where a number comes from: the platform's shared pool or the account's own order.
enum PhoneNumberOrigin: String, Codable, Sendable {
    case `default`
    case custom
}
