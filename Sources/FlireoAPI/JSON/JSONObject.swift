/// A JSON object that keeps its keys in their original order.
///
/// Lookups scan from the end, so with a duplicated key the last one wins, as in most
/// parsers. Equality is JSON's: the same keys with equal values, in any order.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member of the object.
    public typealias Element = (key: String, value: JSONValue)

    /// The members in their original order.
    public private(set) var entries: [Element]

    /// Creates an object from members in the given order.
    /// - Parameter entries: the key/value pairs, in order.
    public init(_ entries: [(String, JSONValue)] = []) {
        self.entries = entries.map { (key: $0.0, value: $0.1) }
    }

    /// Creates an object whose keys keep the literal's order.
    /// An object of these members, in this order.
    public init(entries: [Element]) {
        self.entries = entries
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The keys in their original order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of members.
    public var count: Int { entries.count }

    /// `true` when the object has no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`, or `nil` when absent. Setting `nil` removes the key; setting a
    /// value replaces it in place or appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            entries.last(where: { $0.key == key })?.value
        }
        set {
            if let newValue {
                if let index = entries.lastIndex(where: { $0.key == key }) {
                    entries[index].value = newValue
                } else {
                    entries.append((key: key, value: newValue))
                }
            } else {
                entries.removeAll { $0.key == key }
            }
        }
    }

    /// Iterates the members in their original order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        entries.makeIterator()
    }

    /// JSON equality: the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.entries where rhs[key] != value {
            return false
        }
        return true
    }

    // Appends without looking for an existing key; the parser keeps duplicates as sent.
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        entries.append((key: key, value: value))
    }
}
