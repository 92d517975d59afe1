/// Which slice of a list to return.
struct PageRequest: Sendable, Equatable {
    var limit: Int
    var offset: Int

    /// The slice of `0..<count` this request selects (empty past the end).
    func range(in count: Int) -> Range<Int> {
        let start = min(offset, count)
        return start..<min(start + limit, count)
    }
}

/// One page of a list and the size of the whole list.
struct Page<Item: Sendable>: Sendable {
    var items: [Item]
    var total: Int
}
