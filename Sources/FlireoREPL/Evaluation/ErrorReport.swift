import LuaKit

/// An error as the REPL prints it: the message, then a short traceback — at most a few
/// frames, without the frames that only repeat the message's position or say nothing
/// (`[C]: in ?`). An interruption is just its message, and so is an error object (a
/// table with `__tostring`, such as an API error): its one line already says where.
struct ErrorReport {
    /// The most frames shown.
    static let frameLimit = 6

    let message: String
    let frames: [String]
    /// Frames Lua's own traceback left out (`...\t(skipping N levels)`).
    var skipped = 0

    /// The report of an error that reached Swift.
    /// - Parameter typed: whether it ended a line typed at the prompt: an interruption that
    ///   landed outside it (in a library the line called) then says just `interrupted!`.
    init(_ error: LuaError, typed: Bool = false) {
        if case .table = error.value {
            message = error.message
            frames = []
        } else if typed, error.message.hasSuffix("interrupted!"), !error.message.hasPrefix("stdin:") {
            // Said where the typed line was, as when the interrupt lands in the line itself.
            message = (Self.typedLine(in: error.traceback ?? "").map { $0 + ": " } ?? "") + "interrupted!"
            frames = []
        } else {
            message = error.message
            frames = Self.frames(of: error.traceback ?? "")
            skipped = Self.skipped(in: error.traceback ?? "")
        }
    }

    /// `stdin:N` of the innermost frame of the typed line in a traceback, if any.
    private static func typedLine(in traceback: String) -> String? {
        for line in traceback.split(separator: "\n") {
            let frame = line.drop { $0 == "\t" || $0 == " " }
            guard frame.hasPrefix("stdin:"), let colon = frame.dropFirst(6).firstIndex(of: ":") else { continue }
            let number = frame[frame.index(frame.startIndex, offsetBy: 6)..<colon]
            if !number.isEmpty, number.allSatisfy(\.isNumber) { return String(frame[..<colon]) }
        }
        return nil
    }

    /// The report of a failed task (its message, then `stack traceback:` and frames).
    init(report: String) {
        if let start = report.firstRange(of: "\nstack traceback:") {
            message = String(report[..<start.lowerBound])
            frames = Self.frames(of: String(report[start.upperBound...]))
            skipped = Self.skipped(in: String(report[start.upperBound...]))
        } else {
            message = report
            frames = []
        }
    }

    /// The text to print: `prefix`, the message, and the traceback if it adds anything.
    func text(prefix: String) -> String {
        var text = prefix + message + "\n"
        guard !message.hasSuffix("interrupted!"), !message.hasSuffix("cancelled") else { return text }
        // One frame of the typed line itself says nothing the message does not.
        if frames.isEmpty || (frames.count == 1 && frames[0].hasPrefix("stdin:")) { return text }
        text += "stack traceback:\n"
        for frame in frames.prefix(Self.frameLimit) { text += "\t" + frame + "\n" }
        let hidden = max(0, frames.count - Self.frameLimit) + skipped
        if hidden > 0 { text += "\t… \(hidden) more\n" }
        return text
    }

    private static func frames(of traceback: String) -> [String] {
        traceback.split(separator: "\n")
            .map { $0.trimmingCharacters() }
            .filter { !$0.isEmpty && $0 != "stack traceback:" && $0 != "[C]: in ?" && $0 != "(...tail calls...)" }
            .filter { !$0.hasPrefix("[C]: in function 'error'") && !$0.hasPrefix("...") }
    }

    /// The levels Lua's traceback skipped in the middle of a deep stack.
    private static func skipped(in traceback: String) -> Int {
        guard let range = traceback.firstRange(of: "(skipping ") else { return 0 }
        return Int(traceback[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }
}
