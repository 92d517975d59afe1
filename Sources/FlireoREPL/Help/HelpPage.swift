/// A help text being laid out: wrapped paragraphs and aligned two-column tables.
struct HelpPage {
    private(set) var text = ""
    let width: Int
    let color: Bool

    init(width: Int, color: Bool) {
        self.width = max(width, 40)
        self.color = color
    }

    /// One line as it is, its control characters (from a name or a string the user gave)
    /// shown escaped, as `%q` would: none reaches the terminal as a command.
    mutating func line(_ line: String) {
        text += Self.visible(line) + "\n"
    }

    /// `text` with control characters but the tab as `\27`, `\n`, ….
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if !isControl(scalar) {
                shown.unicodeScalars.append(scalar)
            } else if scalar == "\n" {
                shown += "\\n"
            } else if scalar == "\r" {
                shown += "\\r"
            } else if scalar.isASCII {
                shown += "\\\(scalar.value)"
            } else {
                // As Lua writes a character: \155 would be one byte, not U+009B.
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return shown
    }

    /// Control characters, C1 ones too (U+009B is a terminal's CSI), and the bidirectional
    /// overrides and isolates, which would reorder the rest of the line on the screen.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    mutating func blank() {
        if !text.isEmpty && !text.hasSuffix("\n\n") { text += "\n" }
    }

    /// A signature or title line, bold on a colour terminal; a long one wraps between
    /// words, its continuation indented.
    mutating func signature(_ title: String) {
        var plain = HelpPage(width: width, color: false)
        plain.wrapped(title, indent: 0, hanging: 4)
        for shown in plain.text.split(separator: "\n") {
            text += (color ? "\u{1B}[1m\(shown)\u{1B}[0m" : String(shown)) + "\n"
        }
    }

    mutating func heading(_ title: String) {
        wrapped(title, indent: 0, hanging: 2)
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
        // A word wider than the lines it can go on (a long name) is cut into pieces that fit.
        let room = max(width - max(indent, hanging ?? indent), 8)
        let words = paragraph.split(separator: " ").flatMap { word -> [Substring] in
            guard word.count > room else { return [word] }
            return stride(from: 0, to: word.count, by: room).map { start in
                let from = word.index(word.startIndex, offsetBy: start)
                return word[from..<(word.index(from, offsetBy: room, limitedBy: word.endIndex) ?? word.endIndex)]
            }
        }
        for word in words {
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
        // Where a wrapped row's cells go on: under the second column, if that leaves room.
        let second = indent + (widths.first ?? 0) + 2
        let hanging = width - second >= 20 ? second : indent + 4
        for row in rows {
            var head = ""
            for (column, cell) in row.dropLast().enumerated() {
                head += cell.count >= widths[column] ? cell + "  " : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }
            let detail = row.count == columnCount ? row[columnCount - 1] : ""
            if row.count < columnCount || detail.isEmpty {
                var cells = row.count < columnCount ? row.joined(separator: "  ") : String(head.dropLast(2))
                // (No padding left at the end of the line: nothing follows it.)
                while cells.last == " " { cells.removeLast() }
                // Aligned as they are when they fit (wrapping would close up their padding).
                if indent + cells.count <= width { line(pad + cells) } else { wrapped(cells, indent: indent, hanging: hanging) }
                continue
            }
            let offset = indent + widths.reduce(0) { $0 + $1 + 2 }
            // An overlong cell, or a terminal too narrow for the text beside the cells: the
            // cells wrapped, the text below them.
            if head.count > offset - indent || width - offset < 30 {
                wrapped(String(head.dropLast(2)), indent: indent, hanging: hanging)
                wrapped(detail, indent: hanging)
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
