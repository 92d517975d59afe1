#if canImport(Glibc)
import Glibc
#endif
import CEditLine

/// Line editing on a terminal with libedit, in emacs mode: arrows, Home/End, Ctrl-A/E/K/
/// U/W, history recall and Ctrl-R search, Tab completion, UTF-8.
///
/// Created and used on the reader thread only. While a line is being edited the
/// terminal does not generate SIGINT (`-isig`): Ctrl-C arrives as a key that drops the
/// line, and nothing is interrupted.
final class LineEditor: LineSource {
    /// Answers a Tab: the text before the cursor in, what to insert or list out.
    typealias Completer = @Sendable (_ before: String) -> Completion?

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let input: TerminalInput
    private let ownership: TerminalOwnership?
    /// UTF-8 character classes whatever the user's locale (libedit's, and widths).
    private let utf8Locale: locale_t?
    private let completer: Completer
    private var prompt: UnsafeMutablePointer<CChar>? = strdup("")
    private var interrupted = false
    /// Whether the terminal was asked to mark pasted text (once the prompt is drawn).
    private var pasteMarks = false
    /// The lines of a multi-line paste after the first, read one per prompt as if typed.
    private var pastedLines: [[UInt8]] = []
    /// What a paste left after its last line break: the start of the next line.
    private var pastedRest: [UInt8] = []

    /// Sets up libedit on stdin/stdout, or returns nil when it cannot.
    /// - Parameters:
    ///   - entries: history to recall, oldest first.
    ///   - limit: how many entries recall keeps.
    ///   - completer: answers Tab.
    ///   - ownership: shares the terminal with background output, if given.
    init?(entries: [[UInt8]], limit: Int, completer: @escaping Completer, ownership: TerminalOwnership? = nil) {
        // libedit converts between its wide buffer and our bytes with the C library's
        // multibyte functions: make this thread's locale UTF-8 whatever the user's is,
        // without touching the process locale Lua runs in.
        utf8Locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
        if let utf8Locale { uselocale(utf8Locale) }
        guard let editLine = el_init("flireo", cel_stdin(), Console.terminal, cel_stderr()) else { return nil }
        guard let history = history_init() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.completer = completer
        self.ownership = ownership
        input = TerminalInput(fd: 0, wake: ownership?.wakeDescriptor)
        ownership?.measure = { [unowned self] in rowsAboveCursor() }

        cel_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        cel_set_editor(editLine, "emacs")
        _ = cel_history_setsize(history, Int32(clamping: limit))
        _ = cel_history_setunique(history, 1)
        cel_set_history(editLine, history)
        for entry in entries { remember(entry) }
        cel_set_prompt(editLine, promptFunction)
        cel_set_getc(editLine, readCharacterFunction)
        cel_setty_edit(editLine, "-isig")
        // CR and LF arrive as they are: a pasted CR LF is then one line break, not two.
        cel_setty_edit(editLine, "-icrnl")
        cel_setty_edit(editLine, "-inlcr")
        el_source(editLine, nil)  // the user's ~/.editrc, before our own bindings win
        cel_add_command(editLine, "flireo-complete", "Complete the word at the cursor", completeFunction)
        cel_add_command(editLine, "flireo-interrupt", "Drop the line being edited", interruptFunction)
        cel_add_command(editLine, "flireo-suspend", "Suspend flireo (the shell's fg resumes it)", suspendFunction)
        cel_add_command(editLine, "flireo-accept", "Accept the line", acceptFunction)
        cel_add_command(editLine, "flireo-paste-begin", "Pasted text starts", pasteBeginFunction)
        cel_add_command(editLine, "flireo-paste-end", "Pasted text ends", pasteEndFunction)
        for (keys, command) in Self.bindings { cel_bind(editLine, keys, command) }
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(prompt)
        // utf8Locale stays: it is still this thread's locale, and freeing that is undefined.
    }

    /// Keys bound on top of libedit's emacs map (whose ^R, ^U and ^W differ from readline's).
    static let bindings: [(String, String)] = [
        ("^I", "flireo-complete"),
        ("^M", "flireo-accept"),
        ("^J", "flireo-accept"),
        (LineEditor.newlineKeys, "ed-newline"),
        ("^C", "flireo-interrupt"),
        ("^Z", "flireo-suspend"),
        ("^R", "em-inc-search-prev"),
        ("^U", "vi-kill-line-prev"),
        ("^W", "ed-delete-prev-word"),
        ("\\e[1~", "ed-move-to-beg"),
        ("\\e[4~", "ed-move-to-end"),
        ("\\e[7~", "ed-move-to-beg"),
        ("\\e[8~", "ed-move-to-end"),
        ("\\e[H", "ed-move-to-beg"),
        ("\\e[F", "ed-move-to-end"),
        ("\\eOH", "ed-move-to-beg"),
        ("\\eOF", "ed-move-to-end"),
        ("\\e[3~", "ed-delete-next-char"),
        // Page Up/Down search the history for the line typed so far (as Debian's inputrc
        // suggests for readline); Insert does nothing. Unbound, each typed `~`.
        ("\\e[5~", "ed-search-prev-history"),
        ("\\e[6~", "ed-search-next-history"),
        ("\\e[2~", "ed-unassigned"),
        // Bracketed paste (enabled while a line is edited): the terminal marks pasted text.
        ("\\e[200~", "flireo-paste-begin"),
        ("\\e[201~", "flireo-paste-end"),
    ] + modifiedKeys

    /// The function keys, and the keys above with Shift, Alt or Ctrl held (xterm's
    /// `\e[1;5D`, `\e[3;2~`, …): each does what the key alone does (with Alt or Ctrl, by
    /// words) or nothing, instead of typing the end of its sequence (`5~`, `D`) into the line.
    static let modifiedKeys: [(String, String)] = {
        var keys: [(String, String)] = []
        for number in [15, 17, 18, 19, 20, 21, 23, 24] { keys.append(("\\e[\(number)~", "ed-unassigned")) }
        for modifier in 2...8 {
            let byWords = modifier != 2  // Alt (3), Ctrl (5) and their combinations
            keys += [
                ("\\e[1;\(modifier)A", "ed-prev-history"), ("\\e[1;\(modifier)B", "ed-next-history"),
                ("\\e[1;\(modifier)C", byWords ? "em-next-word" : "ed-next-char"),
                ("\\e[1;\(modifier)D", byWords ? "ed-prev-word" : "ed-prev-char"),
                ("\\e[1;\(modifier)H", "ed-move-to-beg"), ("\\e[1;\(modifier)F", "ed-move-to-end"),
                ("\\e[3;\(modifier)~", byWords ? "em-delete-next-word" : "ed-delete-next-char"),
                ("\\e[5;\(modifier)~", "ed-search-prev-history"), ("\\e[6;\(modifier)~", "ed-search-next-history"),
                ("\\e[2;\(modifier)~", "ed-unassigned"),
            ]
            for number in [15, 17, 18, 19, 20, 21, 23, 24] { keys.append(("\\e[\(number);\(modifier)~", "ed-unassigned")) }
            for letter in ["P", "Q", "R", "S"] { keys.append(("\\e[1;\(modifier)\(letter)", "ed-unassigned")) }
        }
        return keys
    }()

    /// Asks the terminal to mark pasted text (xterm's bracketed paste), and to stop.
    private static let pasteMarksOn = "\u{1B}[?2004h", pasteMarksOff = "\u{1B}[?2004l"
    /// TERM=dumb takes no escape sequences: no bracketed paste there.
    private static let terminalTakesPasteMarks = getenv("TERM").map { String(cString: $0) } != "dumb"
    /// A sequence no terminal sends, bound to libedit's own newline (Enter ends in it):
    /// as `bind` spells it, and as pushed.
    private static let newlineKeys = "\\e[9753~", newlinePushed = "\u{1B}[9753~"

    func readLine(prompt text: String) -> LineInput {
        if !pastedLines.isEmpty {
            // The next line of a paste: shown after its prompt, as if it had been typed.
            let line = pastedLines.removeFirst()
            Console.out(bytes: Array(text.utf8) + line + [UInt8(ascii: "\n")])
            return .line(line)
        }
        free(prompt)
        prompt = strdup(text)
        interrupted = false
        // Edit mode before the prompt shows: a key typed after seeing the prompt is read
        // as a key (Ctrl-D, Ctrl-C), never taken by the terminal's cooked mode.
        cel_prepare_terminal(editLine)
        var count: Int32 = 0
        // What Lua printed without ending its line comes before the prompt.
        Console.flush()
        ownership?.beginEditing()
        let line = el_gets(editLine, &count)
        stopPasteMarks()
        ownership?.endEditing()
        if interrupted {
            discardPaste()
            return .interrupted
        }
        guard let line, count > 0 else { return .endOfInput }
        var bytes = Array(UnsafeRawBufferPointer(start: line, count: strlen(line)))
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return .line(bytes)
    }

    func discardPaste() {
        pastedLines = []
        pastedRest = []
    }

    func discardTypedAhead() {
        discardPaste()
        input.discardPending()
        tcflush(0, TCIFLUSH)
    }

    func remember(_ entry: [UInt8]) {
        var text = entry.filter { $0 != 0 }
        text.append(0)
        text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = cel_history_enter(history, $0.baseAddress) }
        }
    }

    // MARK: libedit callbacks

    fileprivate var promptText: UnsafeMutablePointer<CChar>? { prompt }

    /// Tab: inserts the unique completion or the common part, or lists the choices.
    fileprivate func completeWord() -> UInt8 {
        guard let info = el_line(editLine)?.pointee, let base = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let before = String(decoding: UnsafeRawBufferPointer(start: base, count: cursor - base), as: UTF8.self)
        // A Tab that indents is text (a pasted one is always: see paste(started:)).
        if before.allSatisfy({ $0 == " " || $0 == "\t" }) {
            return el_insertstr(editLine, "\t") == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
        }
        // The Lua thread answers, and may print background output first: the terminal is
        // its meanwhile.
        ownership?.release()
        let answer = completer(before)
        redrawIfCleared()
        guard let completion = answer, !completion.candidates.isEmpty else { return UInt8(CC_ERROR) }
        if !completion.insertion.isEmpty {
            // A name that holds the API key is not typed out on the screen for the user.
            guard !completion.candidates.contains(where: { Console.holdsSecret($0.word) }) else { return UInt8(CC_ERROR) }
            return el_insertstr(editLine, completion.insertion) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
        }
        // The only choice, typed out already: nothing to list.
        if completion.candidates.count == 1 { return UInt8(CC_ERROR) }
        let words = completion.candidates.map(\.word)
        Console.out("\n" + CompletionListing(words: words, width: Console.columns).text)
        return UInt8(CC_REDISPLAY)
    }

    /// Tells the terminal to stop marking pastes: before the line's newline, so what the
    /// command prints comes after it (as bash does).
    private func stopPasteMarks() {
        guard pasteMarks else { return }
        Console.flush()
        Console.out(Self.pasteMarksOff)
        pasteMarks = false
    }

    /// Ctrl-Z (the terminal's own signal keys are off while a line is edited): the terminal
    /// gets its mode back, the process stops as on any Ctrl-Z, and once the shell's `fg`
    /// resumes it, the line is drawn again as it was. Without a shell that does job
    /// control the stop is not allowed, and the line is simply drawn again.
    fileprivate func suspend() -> UInt8 {
        stopPasteMarks()
        Console.out("^Z")  // as the terminal echoes it; the shell's "Stopped" line follows
        cel_restore_terminal(editLine)
        raise(SIGTSTP)
        cel_prepare_terminal(editLine)
        return UInt8(CC_REDISPLAY)
    }

    /// Enter: the terminal stops marking pastes, then libedit ends the line.
    fileprivate func acceptLine() -> UInt8 {
        stopPasteMarks()
        el_push(editLine, Self.newlinePushed)
        return UInt8(CC_NORM)
    }

    /// The terminal's marks around pasted text. The paste is read here, to its end mark,
    /// and taken as text: no byte in it is an editing key (a pasted ^D, arrow or colour
    /// code changes nothing). Its first line goes into the line being edited; each line
    /// break ends a line (CR LF counts once), and the lines after it come one per prompt.
    fileprivate func paste(started: Bool) -> UInt8 {
        guard started else { return UInt8(CC_NORM) }
        let end: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC [ 2 0 1 ~
        var text: [UInt32] = []
        // A terminal sends a paste at once: a second without a byte means its end mark
        // was lost, and what comes next is typed (Ctrl-C, Ctrl-D and Enter work again).
        reading: while true {
            switch input.next(onResize: { el_resize(editLine) }, idle: 1) {
            case .character(let scalar):
                text.append(scalar)
                if text.count >= end.count && text.suffix(end.count).elementsEqual(end) {
                    text.removeLast(end.count)
                    break reading
                }
            case .end, .failure, .idle:
                break reading
            }
        }
        var lines: [[UInt8]] = [[]]
        var previous: UInt32 = 0
        for scalar in text {
            defer { previous = scalar }
            if scalar == 0x0A && previous == 0x0D { continue }
            if scalar == 0x0A || scalar == 0x0D {
                lines.append([])
            } else if scalar != 0, let character = Unicode.Scalar(scalar) {
                lines[lines.count - 1] += Array(String(character).utf8)
            }
        }
        let first = lines.removeFirst()
        if !first.isEmpty {
            let inserted = (first + [0]).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { el_insertstr(editLine, $0.baseAddress) }
            }
            if inserted != 0 { return UInt8(CC_ERROR) }
        }
        guard let rest = lines.popLast() else { return UInt8(CC_REFRESH) }
        pastedLines = lines
        pastedRest = rest
        // Drawn as typed, then ended as Enter ends it.
        stopPasteMarks()
        el_push(editLine, Self.newlinePushed)
        return UInt8(CC_REFRESH)
    }

    /// Ctrl-C: shows `^C` after the text and ends the line, which `readLine` then drops.
    fileprivate func interruptLine() -> UInt8 {
        interrupted = true
        stopPasteMarks()
        if let info = el_line(editLine)?.pointee, let cursor = info.cursor, let end = info.lastchar, end > cursor {
            let tail = UnsafeRawBufferPointer(start: cursor, count: end - cursor)
            let characters = tail.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            _ = el_cursor(editLine, Int32(clamping: characters))
        }
        _ = el_insertstr(editLine, "^C")
        el_push(editLine, "\n")
        return UInt8(CC_REFRESH)
    }

    /// The next character for libedit, which learns of a window resize meanwhile. While
    /// it waits, background output may clear the line; it is drawn again when woken.
    fileprivate func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        let editLine = self.editLine
        if !pasteMarks, Self.terminalTakesPasteMarks {
            Console.out(Self.pasteMarksOn)
            pasteMarks = true
        }
        if !pastedRest.isEmpty {
            // A paste's last line had no line break: it is the start of this one.
            let rest = pastedRest + [0]
            pastedRest = []
            _ = rest.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { el_insertstr(editLine, $0.baseAddress) }
            }
            // The prompt is drawn: the line is drawn again from its start, with the text.
            Console.flush()
            Console.out("\r")
            _ = cel_refresh(editLine)
        }
        ownership?.release()
        let next = input.next(
            onResize: {
                // As libedit itself does on SIGWINCH: new sizes, used from the next redraw on.
                redrawIfCleared()
                el_resize(editLine)
                ownership?.release()
            },
            onWake: {
                redrawIfCleared()
                ownership?.release()
            },
            injected: { ownership?.takeInjectedKey() },
            arrowsAsKeys: cel_is_emacs(editLine) != 0)
        redrawIfCleared()
        switch next {
        case .character(let scalar):
            character.pointee = wchar_t(bitPattern: scalar)
            return 1
        case .end:
            character.pointee = 0
            return 0
        case .failure, .idle:  // without an idle limit, never idle
            character.pointee = 0
            return -1
        }
    }
}

extension LineEditor {
    /// Takes the terminal back from background output, drawing the line again if it was cleared.
    private func redrawIfCleared() {
        guard let ownership, ownership.acquire() else { return }
        _ = cel_refresh(editLine)
    }

    /// How many rows the prompt and the text before the cursor take above the cursor's
    /// row. Called from the Lua thread while this thread waits for a key (the ownership's
    /// lock orders the two): it reads libedit's wide buffer, and measures each character
    /// (two columns for CJK) in a UTF-8 locale set for the call.
    private func rowsAboveCursor() -> Int {
        let columns = Console.columns
        guard columns > 0, let info = el_wline(editLine)?.pointee, let base = info.buffer, let cursor = info.cursor else {
            return 0
        }
        let previous = utf8Locale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        var width = prompt.map { Int(strlen($0)) } ?? 0
        for character in UnsafeBufferPointer(start: base, count: cursor - base) {
            let taken = cel_wcwidth(character)
            width += taken >= 0 ? Int(taken) : 2  // a control character shows as ^X
        }
        return width / columns
    }
}

private func editor(_ editLine: OpaquePointer?) -> LineEditor? {
    guard let editLine, let data = cel_clientdata(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
}

private func promptFunction(_ editLine: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    editor(editLine)?.promptText
}

private func readCharacterFunction(_ editLine: OpaquePointer?, _ character: UnsafeMutablePointer<wchar_t>?) -> Int32 {
    guard let character, let editor = editor(editLine) else { return -1 }
    return editor.readCharacter(into: character)
}

private func completeFunction(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    editor(editLine)?.completeWord() ?? UInt8(CC_ERROR)
}

private func interruptFunction(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    editor(editLine)?.interruptLine() ?? UInt8(CC_ERROR)
}

private func suspendFunction(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    editor(editLine)?.suspend() ?? UInt8(CC_ERROR)
}

private func pasteBeginFunction(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    editor(editLine)?.paste(started: true) ?? UInt8(CC_ERROR)
}

private func pasteEndFunction(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    editor(editLine)?.paste(started: false) ?? UInt8(CC_ERROR)
}

private func acceptFunction(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    editor(editLine)?.acceptLine() ?? UInt8(CC_ERROR)
}
