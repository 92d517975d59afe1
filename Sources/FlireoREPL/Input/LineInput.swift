/// What reading one line produced.
enum LineInput: Sendable, Equatable {
    /// A line, without its newline: bytes, since piped input need not be UTF-8.
    case line([UInt8])
    /// Ctrl-C while editing: what was typed is dropped.
    case interrupted
    /// Ctrl-D on an empty line, the end of stdin, or a terminal that went away.
    case endOfInput
}

/// Where lines come from: libedit on a terminal, plain stdin otherwise. An instance
/// lives on the reader thread and is used there only.
protocol LineSource: AnyObject {
    /// Shows `prompt` and reads one line.
    func readLine(prompt: String) -> LineInput
    /// Makes `entry` recallable with the arrow keys and Ctrl-R.
    func remember(_ entry: [UInt8])
    /// Drops the lines of a paste not read yet (the command before them was interrupted).
    func discardPaste()
    /// Drops a paste's lines and every key typed ahead not read yet: Ctrl-C stopped the
    /// command they were typed behind, as a terminal's own interrupt throws them away.
    func discardTypedAhead()
}

extension LineSource {
    func discardPaste() {}
    func discardTypedAhead() { discardPaste() }
}
