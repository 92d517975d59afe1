/// The answer to a Tab: the candidates for the word at the cursor, and what to insert.
struct Completion: Sendable, Equatable {
    /// One possible word.
    struct Candidate: Sendable, Equatable {
        /// The whole word (`wait`, `flireo.inspect`).
        var word: String
        /// What follows it when it is the only choice: `(` after a function, the closing
        /// quote after a string.
        var suffix: String
    }

    /// What is typed of the word so far.
    var prefix: String
    /// The candidates, sorted, each starting with `prefix`.
    var candidates: [Candidate]

    /// - Parameters:
    ///   - prefix: what is typed of the word.
    ///   - candidates: possible words; those not starting with `prefix` and repeats are dropped.
    init(prefix: String, candidates: [Candidate]) {
        self.prefix = prefix
        var seen = Set<String>()
        self.candidates = candidates
            .filter { $0.word.hasPrefix(prefix) && seen.insert($0.word).inserted }
            .sorted { $0.word < $1.word }
    }

    /// Text to insert at the cursor: the rest of the only candidate and its suffix, or
    /// the part every candidate shares beyond the prefix; empty when the choice is open.
    var insertion: String {
        if candidates.count == 1, let only = candidates.first {
            return String(only.word.dropFirst(prefix.count)) + only.suffix
        }
        guard var common = candidates.first?.word else { return "" }
        for candidate in candidates.dropFirst() {
            common = String(zip(common, candidate.word).prefix { $0 == $1 }.map(\.0))
        }
        return String(common.dropFirst(prefix.count))
    }
}
