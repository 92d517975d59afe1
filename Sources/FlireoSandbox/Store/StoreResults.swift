// The values the store hands to controllers: records plus what a response needs beside them.

/// An assistant and the number it is linked to.
struct AssistantView: Sendable, Equatable {
    var assistant: AssistantRecord
    var number: PhoneNumberRecord?
}

/// One row of the phone number list.
struct PhoneNumberListItem: Sendable, Equatable {
    var number: PhoneNumberRecord
    /// Whether it can be linked now (custom: not linked; default: always).
    var available: Bool
    /// The assistant of this account it is linked to.
    var linkedAssistant: AssistantRecord?
}

/// The phone number list: the page and the account's shared default numbers.
struct PhoneNumberListing: Sendable {
    var page: Page<PhoneNumberListItem>
    var shared: [PhoneNumberRecord]
}

/// Orderable numbers matching a search.
struct AvailableListing: Sendable {
    var items: [NumberCatalog.Candidate]
    var totalResults: Int
    var type: PhoneNumberType
    var requiresVerification: Bool
}

/// A number to order.
struct OrderRequest: Sendable, Equatable {
    var phoneNumber: String
    var type: PhoneNumberType
    var groupID: SandboxID?
}

/// A placed order and the credits left.
struct OrderReceipt: Sendable {
    var order: PhoneNumberOrder
    var remainingCredits: Int
}

/// An order with its verification group.
struct OrderView: Sendable {
    var order: PhoneNumberOrder
    var group: VerificationGroup?
}

/// Filters of the order list.
struct OrderFilter: Sendable, Equatable {
    var status: PhoneNumberOrder.Status?
    var groupID: SandboxID?
    var type: PhoneNumberType?
}

/// Filters of the verification group list.
struct GroupFilter: Sendable, Equatable {
    var status: VerificationGroup.Status?
    var type: PhoneNumberType?
}

/// A verification group with the orders placed through it.
struct GroupDetail: Sendable {
    var group: VerificationGroup
    var orders: [PhoneNumberOrder]
}

/// The fields of a new verification group.
struct GroupDraft: Sendable, Equatable {
    var name: String
    var type: PhoneNumberType
    var businessName: String
    var city: String
    var description: String?
    var contact: [String: String]
}
