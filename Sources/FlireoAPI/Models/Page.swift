/// One page of a list: its items and `meta`.
public struct Page<Item: Sendable>: Sendable {
    /// The items of this page, in server order.
    public var items: [Item]
    /// `total`, `limit` and `offset` as the server sent them.
    public var meta: PageMeta
    /// The whole response body exactly as sent.
    public var raw: JSONValue
    /// Items the response lists beside the page (the shared default numbers of the
    /// account's number list), which ``FlireoPages`` gives once, after the last page.
    public var besides: [Item]

    /// Creates a page.
    /// - Parameters:
    ///   - items: the items.
    ///   - meta: the page's meta.
    ///   - raw: the whole response body.
    ///   - besides: items listed beside the page.
    public init(items: [Item], meta: PageMeta, raw: JSONValue = .null, besides: [Item] = []) {
        self.items = items
        self.meta = meta
        self.raw = raw
        self.besides = besides
    }

    /// `true` when items exist after this page: `offset + items.count < total`.
    public var hasMore: Bool {
        (meta.offset ?? 0) + items.count < meta.total
    }
}

/// One page of `GET /v1/phone-numbers`: the account's numbers, its shared default
/// numbers, and `meta`.
public struct PhoneNumberPage: Sendable {
    /// The account's numbers on this page.
    public var items: [AccountPhoneNumber]
    /// The account's shared default numbers (`shared_numbers`), empty when not sent.
    public var sharedNumbers: [PhoneNumber]
    /// `total`, `limit` and `offset` as the server sent them.
    public var meta: PageMeta
    /// The whole response body exactly as sent.
    public var raw: JSONValue

    /// Creates a page.
    /// - Parameters:
    ///   - items: the account's numbers.
    ///   - sharedNumbers: the shared default numbers.
    ///   - meta: the page's meta.
    ///   - raw: the whole response body.
    public init(items: [AccountPhoneNumber], sharedNumbers: [PhoneNumber], meta: PageMeta, raw: JSONValue = .null) {
        self.items = items
        self.sharedNumbers = sharedNumbers
        self.meta = meta
        self.raw = raw
    }
}
