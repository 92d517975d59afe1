/// The seed page's rules for linking and unlinking, applied to one account's tables.
extension AccountState {
    /// What a successful link did.
    struct LinkOutcome: Sendable, Equatable {
        var assistantID: SandboxID
        var number: PhoneNumberRecord
        /// The number the assistant had before (unlinked first), if any.
        var previousNumberID: SandboxID?
        /// How many other assistants lost their default number.
        var releasedAssistants: Int
    }

    /// Why a link cannot be decided inside this account alone.
    enum LinkRefusal: Error, Sendable, Equatable {
        /// The number is neither this account's nor a default: another account's (forbidden) or nobody's.
        case numberNotInAccount
        case rule(APIError)
    }

    /// The assistant, or 404.
    func assistant(_ id: SandboxID) throws(APIError) -> AssistantRecord {
        guard let assistant = assistants[id] else { throw .notFound("Assistant", id: id.description) }
        return assistant
    }

    /// Links `numberID` to the assistant: the previous number is unlinked first; a default
    /// number releases every other assistant of the account that uses a default number.
    /// - Parameters:
    ///   - numberID: The number to link.
    ///   - assistantID: The assistant.
    /// - Returns: What changed.
    /// - Throws: `LinkRefusal`.
    mutating func link(_ numberID: SandboxID, to assistantID: SandboxID) throws(LinkRefusal) -> LinkOutcome {
        let assistant: AssistantRecord
        do { assistant = try self.assistant(assistantID) } catch { throw .rule(error) }
        guard let number = anyNumber(numberID) else { throw .numberNotInAccount }
        if assistant.phoneNumberID == numberID {
            throw .rule(APIError(
                "already_linked", .badRequest, "Phone number already linked to this assistant",
                details: [("assistant_id", .id(assistantID)), ("phone_number_id", .id(numberID))]
            ))
        }
        if number.origin == .custom, let holder = linkedAssistant[numberID] {
            throw .rule(APIError(
                "already_in_use", .badRequest, "Custom phone number is linked to another assistant",
                details: [("phone_number_id", .id(numberID)), ("linked_assistant_id", .id(holder))]
            ))
        }
        let previous = assistant.phoneNumberID
        if previous != nil {
            detachNumber(from: assistantID)
        }
        var released = 0
        if number.origin == .default {
            for other in onDefault where other != assistantID {
                detachNumber(from: other)
                released += 1
            }
            onDefault.insert(assistantID)
        } else {
            linkedAssistant[numberID] = assistantID
        }
        assistants[assistantID]?.phoneNumberID = numberID
        return LinkOutcome(assistantID: assistantID, number: number, previousNumberID: previous, releasedAssistants: released)
    }

    /// Unlinks the assistant's number.
    /// - Parameter assistantID: The assistant.
    /// - Returns: The number that was unlinked.
    /// - Throws: `not_found`, or `no_phone_number` when nothing is linked.
    mutating func unlink(_ assistantID: SandboxID) throws(APIError) -> PhoneNumberRecord {
        let assistant = try self.assistant(assistantID)
        guard let numberID = assistant.phoneNumberID, let number = anyNumber(numberID) else {
            throw APIError(
                "no_phone_number", .badRequest, "No phone number to unlink",
                details: [("assistant_id", .id(assistantID))]
            )
        }
        detachNumber(from: assistantID)
        return number
    }

    /// Clears an assistant's link in every table (no checks).
    mutating func detachNumber(from assistantID: SandboxID) {
        guard let numberID = assistants[assistantID]?.phoneNumberID else { return }
        assistants[assistantID]?.phoneNumberID = nil
        onDefault.remove(assistantID)
        if linkedAssistant[numberID] == assistantID {
            linkedAssistant[numberID] = nil
        }
    }

    /// The assistant this number is linked to in this account (the first, for a default
    /// number several legacy assistants share).
    func holder(of number: PhoneNumberRecord) -> SandboxID? {
        switch number.origin {
        case .custom:
            return linkedAssistant[number.id]
        case .default:
            // `onDefault` is small (the rules keep it to one after any default link).
            return onDefault
                .compactMap { assistants[$0] }
                .filter { $0.phoneNumberID == number.id }
                .min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }?
                .id
        }
    }
}
