import FlireoAPI
import LuaKit

/// Ids and numbers this client has seen, for a REPL to complete inside strings.
struct KnownIdentifiers {
    static let capacity = 2000
    private(set) var assistants: [String] = []
    private(set) var numbers: [String] = []
    private var seen: Set<String> = []

    mutating func addAssistant(_ id: String) {
        guard assistants.count < Self.capacity, seen.insert(id).inserted else { return }
        assistants.append(id)
    }

    mutating func addNumber(_ idOrE164: String) {
        guard numbers.count < Self.capacity, seen.insert(idOrE164).inserted else { return }
        numbers.append(idOrE164)
    }
}

extension FlireoClientObject {
    /// Completions for a string being typed after `before` (the text up to its opening
    /// quote): assistant ids after `assistant(`, phone number ids and E.164 numbers after
    /// `:link(` or `phone_number(`.
    public func completions(before: String, prefix: String) -> [String] {
        let trimmed = before.reversed().drop { $0 == " " }
        let context = String(trimmed.reversed())
        let candidates: [String]
        if context.hasSuffix("assistant(") {
            candidates = known.withLock { $0.assistants }
        } else if context.hasSuffix(":link(") || context.hasSuffix("phone_number(") {
            candidates = known.withLock { $0.numbers }
        } else {
            return []
        }
        return candidates.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Remembers what a response showed (assistants and numbers) for completion.
    func remember(assistants: [String] = [], numbers: [PhoneNumber?] = []) {
        known.withLock { known in
            for id in assistants { known.addAssistant(id) }
            for case let number? in numbers {
                known.addNumber(number.number)
                known.addNumber(number.id)
            }
        }
    }

    /// Remembers the account's numbers from a list page.
    func remember(accountNumbers: [AccountPhoneNumber], shared: [PhoneNumber]) {
        known.withLock { known in
            for number in accountNumbers {
                known.addNumber(number.number)
                known.addNumber(number.id)
                if let assistant = number.linkedAssistant { known.addAssistant(assistant.id) }
            }
            for number in shared {
                known.addNumber(number.number)
                known.addNumber(number.id)
            }
        }
    }
}
