/// Ids in an account's current data that tests and demos need, found rather than guessed:
/// each is the first match in listing order, or nil when the account's sizes leave none.
public struct SandboxLandmarks: Sendable, Equatable {
    /// An assistant linked to one of the account's own (custom) numbers.
    public var assistantWithCustomNumber: String?
    /// That assistant's number.
    public var linkedCustomNumber: String?
    /// An assistant with no number.
    public var assistantWithoutNumber: String?
    /// Assistants currently on a shared default number, in listing order.
    public var assistantsOnDefaultNumber: [String]
    /// The platform's shared default numbers.
    public var defaultNumbers: [String]
    /// A custom number of the account that no assistant uses.
    public var freeCustomNumber: String?
    /// A number of another account (linking it gives `forbidden`).
    public var foreignNumber: String?
    /// An assistant of another account (`not_found` here).
    public var foreignAssistant: String?
    /// An approved verification group (local numbers can be searched and ordered).
    public var approvedGroup: String?
    /// A pending verification group (`invalid_status`); fixture groups never approve by themselves.
    public var pendingGroup: String?
    /// A rejected verification group (`invalid_status`).
    public var rejectedGroup: String?
    /// Credits left.
    public var credits: Int

    /// The landmarks as a JSON object (for the control API).
    var json: JSON {
        [
            "assistant_with_custom_number": .string(assistantWithCustomNumber),
            "linked_custom_number": .string(linkedCustomNumber),
            "assistant_without_number": .string(assistantWithoutNumber),
            "assistants_on_default_number": .array(assistantsOnDefaultNumber.map(JSON.string)),
            "default_numbers": .array(defaultNumbers.map(JSON.string)),
            "free_custom_number": .string(freeCustomNumber),
            "foreign_number": .string(foreignNumber),
            "foreign_assistant": .string(foreignAssistant),
            "approved_group": .string(approvedGroup),
            "pending_group": .string(pendingGroup),
            "rejected_group": .string(rejectedGroup),
            "credits": .int(credits),
        ]
    }
}
