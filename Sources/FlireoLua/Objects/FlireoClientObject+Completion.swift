import FlireoAPI
import LuaKit

/// Ids and numbers this client has seen, for a REPL to complete inside strings.
struct KnownIdentifiers {
    static let capacity = 2000
    private(set) var assistants: [String] = []
    private(set) var numbers: [String] = []
    private var seen: Set<String> = []
    /// Whether a first page was fetched for completion already.
    var fetchedAssistants = false
    var fetchedNumbers = false

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
        let candidates: [String]
        switch completionKind(before: before) {
        case .assistants?: candidates = known.withLock { $0.assistants }
        case .numbers?: candidates = known.withLock { $0.numbers }
        case nil: return []
        }
        return candidates.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// What a string typed after `before` names: assistant ids after `assistant(`, phone
    /// numbers after `:link(` or `phone_number(`.
    public enum CompletionKind: Sendable {
        case assistants, numbers
    }

    /// The kind of string being typed after `before`, if it names ids or numbers.
    public func completionKind(before: String) -> CompletionKind? {
        let context = String(before.reversed().drop { $0 == " " }.reversed())
        if context.hasSuffix("assistant(") { return .assistants }
        if context.hasSuffix(":link(") || context.hasSuffix("phone_number(") { return .numbers }
        return nil
    }

    /// Whether a first page of `kind` should be fetched for completion (once per client).
    public func shouldFetch(_ kind: CompletionKind) -> Bool {
        known.withLock { known in
            switch kind {
            case .assistants: known.fetchedAssistants ? false : { known.fetchedAssistants = true; return true }()
            case .numbers: known.fetchedNumbers ? false : { known.fetchedNumbers = true; return true }()
            }
        }
    }

    /// Fetches the first page of assistants or numbers for completion, giving up after
    /// `timeout`; failures are ignored (completion just offers nothing).
    public func fetchForCompletion(_ kind: CompletionKind, timeout: Duration) async {
        guard let connection = try? connection() else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                switch kind {
                case .assistants:
                    if let page = try? await connection.assistantsPage(limit: 100) {
                        self.remember(assistants: page.items.map(\.id))
                    }
                case .numbers:
                    if let page = try? await connection.phoneNumbersPage(includeDefault: true, limit: 100) {
                        self.remember(accountNumbers: page.items, shared: page.sharedNumbers)
                    }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
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
