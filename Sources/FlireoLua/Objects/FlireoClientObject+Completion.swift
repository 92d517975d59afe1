import FlireoAPI
import Synchronization
import LuaKit

/// Ids and numbers this client knows, for a REPL to complete inside strings: those its
/// responses showed, and the account's listings, read page by page when Tab first needs
/// them (a listing cut short by the time limit goes on at the next Tab).
struct KnownIdentifiers {
    static let capacity = 5000
    private(set) var assistants: [String] = []
    private(set) var numbers: [String] = []
    private var seen: Set<String> = []
    /// Where each listing goes on (nil: read to its end).
    var nextAssistantOffset: Int? = 0
    var nextNumberOffset: Int? = 0
    /// The page of each listing being read now.
    var pageReads: [FlireoClientObject.CompletionKind: PageRead] = [:]

    mutating func addAssistant(_ id: String) {
        guard assistants.count < Self.capacity, seen.insert(id).inserted else { return }
        assistants.append(id)
    }

    mutating func addNumber(_ idOrE164: String) {
        guard numbers.count < Self.capacity, seen.insert(idOrE164).inserted else { return }
        numbers.append(idOrE164)
    }
}

/// One page read for completion: nil while it goes on, then whether it succeeded.
final class PageRead: Sendable {
    let outcome = Mutex<Bool?>(nil)
}

extension FlireoClientObject {
    /// Completions for a string being typed after `before` (the text up to its opening
    /// quote): assistant ids after `assistant(`, phone number ids and E.164 numbers after
    /// `:link(` or `phone_number(`.
    public func completions(before: String, prefix: String) -> [String] {
        let candidates: [String]
        switch completionKind(before: before) {
        case .assistants?:
            candidates = known.withLock { $0.assistants }
        case .numbers?:
            // E.164 numbers, unless an id is being typed: the two in one list read as pairs.
            let ids = prefix.first.map { $0.isHexDigit } ?? false
            candidates = known.withLock { $0.numbers }.filter { $0.hasPrefix("+") != ids }
        case nil:
            return []
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

    /// Whether the account's listing of `kind` still has pages to read for completion.
    public func shouldFetch(_ kind: CompletionKind) -> Bool {
        known.withLock { known in
            switch kind {
            case .assistants: known.nextAssistantOffset != nil && known.assistants.count < KnownIdentifiers.capacity
            case .numbers: known.nextNumberOffset != nil && known.numbers.count < KnownIdentifiers.capacity
            }
        }
    }

    /// Reads the account's listing of assistants or numbers for completion, page by page
    /// from where an earlier read stopped, for at most `timeout`; what arrived is kept, and
    /// a failure or the time limit leaves the rest for the next call. A page still coming
    /// when the time is up is not dropped: it goes on, and the next call waits for it
    /// instead of asking again, so a server slower than the limit still fills completion.
    ///
    /// At most `pages` new pages are asked for per call (a read already going on is waited
    /// for without counting): a Tab is a keypress, and must not spend the account's rate
    /// limit (or the client's pacing, which the next command waits for) on a whole listing.
    public func fetchForCompletion(_ kind: CompletionKind, timeout: Duration, pages: Int = 1) async {
        guard let connection = try? connection() else { return }
        let deadline = ContinuousClock.now + timeout
        var started = 0
        while shouldFetch(kind) {
            let running = known.withLock { $0.pageReads[kind] != nil }
            if !running {
                guard started < pages else { return }
                started += 1
            }
            let read = pageRead(kind, connection)
            while read.outcome.withLock({ $0 }) == nil {
                guard ContinuousClock.now < deadline, !Task.isCancelled else { return }
                try? await Task.sleep(for: .milliseconds(10))
            }
            guard read.outcome.withLock({ $0 }) == true else { return }
        }
    }

    /// The read of the next page of `kind` going on now, or a new one: it keeps what the
    /// page brought, then says whether it succeeded.
    private func pageRead(_ kind: CompletionKind, _ connection: FlireoClient) -> PageRead {
        known.withLock { known in
            if let running = known.pageReads[kind] { return running }
            let read = PageRead()
            known.pageReads[kind] = read
            Task {
                let succeeded = await self.readPage(kind, connection)
                self.known.withLock { $0.pageReads[kind] = nil }
                read.outcome.withLock { $0 = succeeded }
            }
            return read
        }
    }

    /// Reads one page of `kind` from where the listing stopped and remembers it.
    private func readPage(_ kind: CompletionKind, _ connection: FlireoClient) async -> Bool {
        let offset = known.withLock { kind == .assistants ? $0.nextAssistantOffset : $0.nextNumberOffset } ?? 0
        switch kind {
        case .assistants:
            guard let page = try? await connection.assistantsPage(limit: 100, offset: offset) else { return false }
            remember(assistants: page.items.map(\.id))
            let next = page.hasMore && !page.items.isEmpty ? offset + page.items.count : nil
            known.withLock { $0.nextAssistantOffset = next }
        case .numbers:
            guard let page = try? await connection.phoneNumbersPage(includeDefault: true, limit: 100, offset: offset)
            else { return false }
            remember(accountNumbers: page.items, shared: page.sharedNumbers)
            let more = offset + page.items.count < page.meta.total && !page.items.isEmpty
            known.withLock { $0.nextNumberOffset = more ? offset + page.items.count : nil }
        }
        return true
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
