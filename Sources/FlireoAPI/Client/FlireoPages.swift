/// A whole list, fetched lazily one page at a time as it is iterated.
///
/// Each page is requested at the offset after the items received so far, whatever
/// `meta.limit` the server reports, and iteration ends when `offset + count` reaches
/// `meta.total`. A server that skips ahead, repeats a page or stops short of `total`
/// makes iteration throw `invalid_response` rather than silently return part of the list.
///
/// Items a response lists beside its page (``Page/besides``: the shared default numbers
/// of `GET /v1/phone-numbers`) come once, after the last page, unless a page lists them
/// itself; `meta.total` may count them (as the contract's example does) or not.
public struct FlireoPages<Element: Sendable>: AsyncSequence, Sendable {
    /// Fetches the page at `offset` with at most `limit` items.
    public typealias Fetch = @Sendable (_ offset: Int, _ limit: Int) async throws -> Page<Element>

    /// Items asked for per request (checked by the first request: a size the endpoint does
    /// not accept is `invalid_parameters`, never silently changed).
    public let pageSize: Int
    /// The list's path, named in errors about an inconsistent list.
    public let path: String?
    private let fetch: Fetch
    private let identify: (@Sendable (Element) -> String)?

    /// Creates a lazy list.
    /// - Parameters:
    ///   - pageSize: items asked for per request.
    ///   - path: the list's path (`/v1/phone-numbers`), for error messages.
    ///   - identify: an item's id, to tell items listed beside a page from the page's own;
    ///     without it, items beside a page are left out.
    ///   - fetch: fetches one page.
    public init(pageSize: Int, path: String? = nil, identify: (@Sendable (Element) -> String)? = nil, fetch: @escaping Fetch) {
        self.pageSize = pageSize
        self.path = path
        self.identify = identify
        self.fetch = fetch
    }

    /// Starts a new pass over the list (from the first page).
    public func makeAsyncIterator() -> Iterator {
        Iterator(pageSize: pageSize, path: path, identify: identify, fetch: fetch)
    }

    /// Reads every page and returns all items.
    /// - Returns: the whole list, in server order.
    /// - Throws: ``FlireoError`` from any page.
    public func collect() async throws -> [Element] {
        var items: [Element] = []
        for try await item in self {
            items.append(item)
        }
        return items
    }

    /// Walks the list, fetching a page whenever the previous one is used up.
    public struct Iterator: AsyncIteratorProtocol {
        private let pageSize: Int
        private let path: String?
        private let fetch: Fetch
        private let identify: (@Sendable (Element) -> String)?
        private var buffer: [Element] = []
        private var position = 0
        private var offset = 0
        private var finished = false
        /// Items listed beside the pages, in the order first seen, and which of them a page
        /// listed itself.
        private var besides: [Element] = []
        private var besideIDs: Set<String> = []
        private var listedBesides: Set<String> = []
        private var besidesGiven = false
        /// `meta.total` of the first page: a list that grows far beyond it is not read for ever.
        private var firstTotal: Int?

        fileprivate init(pageSize: Int, path: String?, identify: (@Sendable (Element) -> String)?, fetch: @escaping Fetch) {
            self.pageSize = pageSize
            self.path = path
            self.identify = identify
            self.fetch = fetch
        }

        /// The next item, fetching the next page when needed; `nil` at the end.
        /// - Throws: ``FlireoError`` from the request, or `invalid_response` for an inconsistent list.
        public mutating func next() async throws -> Element? {
            while position == buffer.count {
                if finished {
                    // After the last page, what was listed only beside the pages.
                    guard !besidesGiven, let identify else { return nil }
                    besidesGiven = true
                    buffer = besides.filter { !listedBesides.contains(identify($0)) }
                    position = 0
                    continue
                }
                let page = try await fetch(offset, pageSize)
                note(page)
                try check(page)
                buffer = page.items
                position = 0
                offset += page.items.count
                finished = page.items.isEmpty || offset >= page.meta.total
            }
            defer { position += 1 }
            return buffer[position]
        }

        /// Remembers the items listed beside `page`, and which of them it lists itself.
        private mutating func note(_ page: Page<Element>) {
            guard let identify else { return }
            for item in page.besides where besideIDs.insert(identify(item)).inserted {
                besides.append(item)
            }
            guard !besideIDs.isEmpty else { return }
            for item in page.items where besideIDs.contains(identify(item)) {
                listedBesides.insert(identify(item))
            }
        }

        private mutating func check(_ page: Page<Element>) throws {
            let first = firstTotal ?? page.meta.total
            firstTotal = first
            // Items added while the list is read are listed; a list that keeps growing ahead
            // of the reader (each page's total one more) would be read without end.
            if offset > first * 2 + 1000 {
                throw inconsistent(
                    "the list kept growing while it was read: meta.total was \(first) at the start and is \(page.meta.total) "
                        + "after \(offset) items; stopping"
                )
            }
            if let served = page.meta.offset, served != offset {
                throw inconsistent(
                    "asked for the page at offset \(offset) but the server sent offset \(served); stopping instead of "
                        + "returning a list with gaps or repeats"
                )
            }
            // A total that counts the items listed beside the pages ends with an empty page.
            if page.items.isEmpty && offset + besideIDs.count - listedBesides.count < page.meta.total {
                throw inconsistent(
                    "the page at offset \(offset) is empty but meta.total is \(page.meta.total); the list is incomplete"
                )
            }
        }

        private func inconsistent(_ message: String) -> FlireoError {
            var error = FlireoError.invalidResponse(message)
            if let path {
                error = error.attached(method: "GET", path: path)
            }
            return error
        }
    }
}
