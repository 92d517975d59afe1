import Testing

@testable import FlireoREPL

/// Where background output leaves the cursor, so that a `\r` progress line is redrawn in
/// place above the line being edited (TerminalOwnership.column(after:from:width:)).
@Suite struct TerminalColumnTests {
    private func column(_ text: String, from start: Int = 0, width: Int = 80) -> Int? {
        Array(text.utf8).withUnsafeBytes { TerminalOwnership.column(after: $0, from: start, width: width) }
    }

    @Test func asciiControlsAndColours() {
        #expect(column("progress 1") == 10)
        #expect(column("\rprogress 2", from: 10) == 10)
        #expect(column("line\nab") == 2)
        #expect(column("\u{1B}[32mok\u{1B}[0m") == 2)
        #expect(column("a\tb") == 9)
        #expect(column("abc\u{8}") == 2)
        // Wrapping past the row, or a cursor move, is not followed.
        #expect(column(String(repeating: "x", count: 80)) == nil)
        #expect(column("\u{1B}[2Aup") == nil)
    }

    @Test func wideAndCombiningCharactersCountAsTerminalsDrawThem() {
        #expect(column("進捗 4/4 完了") == 13)
        #expect(column("🚀🚀 done") == 9)
        #expect(column("e\u{301}") == 1)
        #expect(column("████ 50%") == 8)
        #expect(column("…") == 1)
        // Widths terminals disagree on: not guessed.
        #expect(column("❤️ done") == nil)
        #expect(column("👩‍💻") == nil)
    }
}
