/// Candidates laid out in columns that fit the terminal, as a shell lists them.
struct CompletionListing {
    /// The most words listed; a longer list ends with a count of the rest.
    static let limit = 200

    let text: String

    /// - Parameters:
    ///   - words: the words, in order.
    ///   - width: the terminal's width in columns.
    init(words: [String], width: Int) {
        let shown = Array(words.prefix(Self.limit))
        let columnWidth = (shown.map(\.count).max() ?? 0) + 2
        let columns = max(1, width / max(columnWidth, 1))
        let rows = (shown.count + columns - 1) / columns
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < shown.count else { break }
                let word = shown[index]
                let isLast = column == columns - 1 || index + rows >= shown.count
                line += isLast ? word : word + String(repeating: " ", count: columnWidth - word.count)
            }
            lines.append(line)
        }
        if words.count > shown.count { lines.append("… \(words.count - shown.count) more") }
        text = lines.map { $0 + "\n" }.joined()
    }
}
