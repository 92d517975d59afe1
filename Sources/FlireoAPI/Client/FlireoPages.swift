/// A whole list, fetched lazily one page at a time as it is iterated.
///
/// Each page is requested at the offset after the items received so far, whatever
/// `meta.limit` the server reports, and iteration ends when `offset + count` reaches
/// `meta.total`. A server that skips ahead, repeats a page or stops short of `total`
/// makes iteration throw `invalid_response` rather than silently return part of the list.
public struct FlireoPages<Element: Sendable>: AsyncSequence, Sendable {
    /// Fetches the page at `offset` with at most `limit` items.
    public typealias Fetch = @Sendable (_ offset: Int, _ limit: Int) async throws -> Page<Element>

    /// Items asked for per request (checked by the first request: a size the endpoint does
    /// not accept is `invalid_parameters`, never silently changed).
    public let pageSize: Int
    /// The list's path, named in errors about an inconsistent list.
    public let path: String?
    private let fetch: Fetch

    /// Creates a lazy list.
    /// - Parameters:
    ///   - pageSize: items asked for per request.
    ///   - path: the list's path (`/v1/phone-numbers`), for error messages.
    ///   - fetch: fetches one page.
    public init(pageSize: Int, path: String? = nil, fetch: @escaping Fetch) {
        self.pageSize = pageSize
        self.path = path
        self.fetch = fetch
    }

    /// Starts a new pass over the list (from the first page).
    public func makeAsyncIterator() -> Iterator {
        Iterator(pageSize: pageSize, path: path, fetch: fetch)
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
        private var buffer: [Element] = []
        private var position = 0
        private var offset = 0
        private var finished = false

        fileprivate init(pageSize: Int, path: String?, fetch: @escaping Fetch) {
            self.pageSize = pageSize
            self.path = path
            self.fetch = fetch
        }

        /// The next item, fetching the next page when needed; `nil` at the end.
        /// - Throws: ``FlireoError`` from the request, or `invalid_response` for an inconsistent list.
        public mutating func next() async throws -> Element? {
            while position == buffer.count {
                guard !finished else { return nil }
                let page = try await fetch(offset, pageSize)
                try check(page)
                buffer = page.items
                position = 0
                offset += page.items.count
                finished = page.items.isEmpty || offset >= page.meta.total
            }
            defer { position += 1 }
            return buffer[position]
        }

        private func check(_ page: Page<Element>) throws {
            if let served = page.meta.offset, served != offset {
                throw inconsistent(
                    "asked for the page at offset \(offset) but the server sent offset \(served); stopping instead of "
                        + "returning a list with gaps or repeats"
                )
            }
            if page.items.isEmpty && offset < page.meta.total {
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
