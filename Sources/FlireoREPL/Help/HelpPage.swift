/// A help text being laid out: wrapped paragraphs and aligned two-column tables.
struct HelpPage {
    private(set) var text = ""
    let width: Int
    let color: Bool

    init(width: Int, color: Bool) {
        self.width = max(width, 40)
        self.color = color
    }

    mutating func line(_ line: String) {
        text += line + "\n"
    }

    mutating func blank() {
        if !text.isEmpty && !text.hasSuffix("\n\n") { text += "\n" }
    }

    /// A signature or title line, bold on a colour terminal.
    mutating func signature(_ title: String) {
        line(color ? "\u{1B}[1m\(title)\u{1B}[0m" : title)
    }

    mutating func heading(_ title: String) {
        line(title)
    }

    /// Paragraphs separated by blank lines; lines of verbatim text keep their breaks.
    mutating func paragraphs(_ body: String, indent: Int) {
        for paragraph in body.split(separator: "\n\n", omittingEmptySubsequences: true) {
            blank()
            for line in paragraph.split(separator: "\n") { wrapped(String(line), indent: indent) }
        }
    }

    /// One paragraph wrapped to the width.
    /// - Parameters:
    ///   - indent: where the first line starts.
    ///   - hanging: where the lines after it start (`indent` unless given).
    mutating func wrapped(_ paragraph: String, indent: Int, hanging: Int? = nil) {
        var pad = String(repeating: " ", count: indent)
        if paragraph.hasPrefix("  ") {  // verbatim (an example)
            line(pad + paragraph)
            return
        }
        var current = ""
        for word in paragraph.split(separator: " ") {
            if !current.isEmpty && pad.count + current.count + 1 + word.count > width {
                line(pad + current)
                current = ""
                pad = String(repeating: " ", count: hanging ?? indent)
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { line(pad + current) }
    }

    /// Rows of aligned columns; the last column is wrapped under itself.
    mutating func table(_ rows: [[String]], indent: Int) {
        let columnCount = rows.map(\.count).max() ?? 0
        guard columnCount > 0 else { return }
        // Every column but the last is as wide as its widest cell (up to a limit).
        var widths: [Int] = []
        for column in 0..<(columnCount - 1) {
            widths.append(min(rows.map { $0.count > column + 1 ? $0[column].count : 0 }.max() ?? 0, 36))
        }
        let pad = String(repeating: " ", count: indent)
        for row in rows {
            var head = ""
            for (column, cell) in row.dropLast().enumerated() {
                head += cell.count >= widths[column] ? cell + "  " : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }
            let detail = row.count == columnCount ? row[columnCount - 1] : ""
            if row.count < columnCount || detail.isEmpty {
                line(pad + (row.count < columnCount ? row.joined(separator: "  ") : String(head.dropLast(2))))
                continue
            }
            let offset = indent + widths.reduce(0) { $0 + $1 + 2 }
            if head.count > offset - indent {  // an overlong cell: wrapped under itself, the text below
                wrapped(String(head.dropLast(2)), indent: indent, hanging: indent + (widths.first ?? 0) + 2)
                wrapped(detail, indent: offset)
                continue
            }
            var sub = HelpPage(width: width, color: color)
            sub.wrapped(detail, indent: offset)
            for (index, wrappedLine) in sub.text.split(separator: "\n").enumerated() {
                line(index == 0 ? pad + head + wrappedLine.dropFirst(offset) : String(wrappedLine))
            }
        }
    }
}
