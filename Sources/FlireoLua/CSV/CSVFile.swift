#if canImport(Glibc)
import Glibc
#endif
import CSV
import Foundation
import LuaKit
import Synchronization

/// A CSV file read one record at a time (RFC 4180 through CSV.swift): a million rows
/// never sit in memory at once. Each record comes with the line it starts on, counting
/// the line breaks inside quoted fields, so errors can name the line a person sees in
/// an editor. A UTF-8 byte order mark is skipped; UTF-16/32 and invalid UTF-8 are errors.
///
/// Lua sees it as `flireo.CSVFile` with `:next()` and `:close()`.
final class CSVFile: Sendable {
    private struct State {
        var reader: CSVReader?
        /// What the reader reads: says why reading stopped at a NUL byte or a long line.
        var input: GuardedInput?
        var line = 1
        /// The line the last record handed out starts on.
        var lastRecordLine: Int?
    }

    /// The path it was opened with (`-` for stdin).
    let path: String
    /// How messages name it: the path, or `stdin` (as lua names it).
    let shown: String
    /// A regular file, which can be read again (not stdin, a pipe or a device).
    let rereadable: Bool
    private let state: Mutex<State>

    private init(path: String, rereadable: Bool, state: sending State) {
        self.path = path
        self.shown = Self.shown(path)
        self.rereadable = rereadable
        self.state = Mutex(state)
    }

    /// How messages name `path`: `stdin` for `-`.
    static func shown(_ path: String) -> String {
        path == "-" ? "stdin" : path
    }

    /// Opens a CSV file.
    /// - Parameter path: the file, or `-` for stdin.
    /// - Returns: the reader, positioned before the first record.
    /// - Throws: `BulkIOError` `not_found`, `io`, or `encoding` (UTF-16/32).
    static func open(_ path: String) throws(BulkIOError) -> CSVFile {
        let file = path == "-" ? "/dev/stdin" : path
        // What a pipe (`<(…)`) or stdin gives is read once: peeking at its first bytes
        // would take them from the reader.
        var info = stat()
        let kind = path == "-" || stat(file, &info) != 0 ? nil : info.st_mode & S_IFMT
        let rereadable = kind == S_IFREG
        // (A file that is not there, or a directory, is said so by the first read.)
        if path != "-", kind == nil || kind == S_IFREG || kind == S_IFDIR {
            try checkEncodingMark(file, shown: path)
        }
        guard let stream = GuardedInput(path: file) else {
            throw BulkIOError.system("cannot open", path, errno: errno)
        }
        do {
            let reader = try CSVReader(stream: stream, hasHeaderRow: false)
            return CSVFile(path: path, rereadable: rereadable, state: State(reader: reader, input: stream))
        } catch {
            // The first bytes read may already be what stops the reading.
            if let problem = stream.problem { throw problemError(problem, shown: shown(path), path: path) }
            throw BulkIOError(code: "io", message: "cannot read \(shown(path)): \(error)", path: path)
        }
    }

    /// The next record and the line it starts on, or nil at the end.
    /// - Throws: `BulkIOError` `encoding` naming the line (invalid UTF-8, NUL bytes) or `io`.
    func next() throws(BulkIOError) -> (fields: [String], line: Int)? {
        try state.withLock { state throws(BulkIOError) -> (fields: [String], line: Int)? in
            guard let reader = state.reader else { return nil }
            let row = reader.next()
            let line = state.line
            if let problem = state.input?.problem {
                state.reader = nil
                throw Self.problemError(problem, shown: shown, path: path)
            }
            if let error = reader.error {
                state.reader = nil
                // On Linux the end of the file surfaces as cannotReadFile: the row read
                // up to it is the last one.
                if case CSVError.cannotReadFile = error {
                    guard let row else { return try atEnd(after: state.lastRecordLine) }
                    // This last record may be the one that swallowed the rest of the file.
                    _ = try atEnd(after: line)
                    state.lastRecordLine = line
                    return (row, line)
                }
                if case CSVError.unicodeDecoding = error {
                    throw BulkIOError(
                        code: "encoding", message: "\(shown):\(line): not valid UTF-8 (save the file as UTF-8)", path: path, line: line
                    )
                }
                throw BulkIOError(code: "io", message: "\(shown):\(line): cannot read: \(error)", path: path, line: line)
            }
            guard let row else {
                state.reader = nil
                return try atEnd(after: state.lastRecordLine)
            }
            var breaks = 0
            for field in row {
                var previous: UInt8 = 0
                for byte in field.utf8 {
                    if byte == 0x0A || (previous == 0x0D) { breaks += 1 }
                    previous = byte == 0x0A && previous == 0x0D ? 0 : byte
                }
                if previous == 0x0D { breaks += 1 }
            }
            state.line = line + 1 + breaks
            state.lastRecordLine = line
            return (row, line)
        }
    }

    /// The end of the records: nil, unless the file's quoting went wrong somewhere, which
    /// CSV.swift reads without a word: a quote inside a quoted field that is not doubled
    /// (it drops the character after it and runs the field on), or a quoted field never
    /// closed (it takes in the rest of the file). Either is an error naming its line, and
    /// the file is read once more to find it. (Standard input or a pipe cannot be read again.)
    private func atEnd(after last: Int?) throws(BulkIOError) -> (fields: [String], line: Int)? {
        guard last != nil, rereadable, let problem = Self.quotingProblem(file: path) else { return nil }
        switch problem {
        case .stray(let line, let column):
            throw BulkIOError(
                code: "stray_quote",
                message: "\(shown):\(line): a quote inside a quoted field, at column \(column), must be doubled (\"\")",
                path: path, line: line
            )
        case .unclosed(let line):
            throw BulkIOError(
                code: "unclosed_quote",
                message: "\(shown):\(line): a quoted field opens here and is never closed (it would take in the rest of the file)",
                path: path, line: line
            )
        }
    }

    /// What can go wrong with a file's quotes.
    enum QuotingProblem: Equatable {
        /// A quote inside a quoted field, followed by neither a quote, a comma nor a line break.
        case stray(line: Int, column: Int)
        /// A quoted field that opens on this line and never closes.
        case unclosed(line: Int)
    }

    /// The first quoting problem of a file, read as CSV.swift reads it: a field is quoted
    /// when it starts with `"`; inside, `""` is a quote, and a quote ends the field only
    /// before a comma or a line break. Lines are counted as `next()` counts them (LF,
    /// CR LF and a lone CR end one); columns in characters.
    static func quotingProblem(file: String) -> QuotingProblem? {
        guard let handle = fopen(file, "rb") else { return nil }
        defer { fclose(handle) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var line = 1, column = 0, previous: UInt8 = 0, openedOn = 1
        var fieldStart = true, quoted = false, pendingQuote = false, first = true
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            // A UTF-8 byte order mark is not part of the first field (the reader skips it too).
            let bom = first && count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
            first = false
            for byte in buffer[(bom ? 3 : 0)..<count] {
                let lineBreak = byte == 0x0A || byte == 0x0D
                if pendingQuote {
                    pendingQuote = false
                    if byte == UInt8(ascii: ",") || lineBreak {
                        quoted = false
                        fieldStart = true
                    } else if byte != UInt8(ascii: "\"") {
                        return .stray(line: line, column: column)
                    }
                } else if fieldStart && byte == UInt8(ascii: "\"") {
                    fieldStart = false
                    quoted = true
                    openedOn = line
                } else if quoted {
                    if byte == UInt8(ascii: "\"") { pendingQuote = true }
                } else {
                    fieldStart = byte == UInt8(ascii: ",") || lineBreak
                }
                // The position of the byte just read, for the next one's messages.
                if byte == 0x0A, previous == 0x0D {
                    column = 0
                } else if lineBreak {
                    line += 1
                    column = 0
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                previous = byte
            }
        }
        return quoted && !pendingQuote ? .unclosed(line: openedOn) : nil
    }

    /// Stops reading; `next()` then returns nil.
    func close() {
        state.withLock { $0.reader = nil }
    }

    /// Refuses UTF-16 and UTF-32 files by their byte order mark, which CSV.swift's UTF-8
    /// reading would otherwise turn into text full of NULs.
    private static func checkEncodingMark(_ file: String, shown path: String) throws(BulkIOError) {
        let descriptor = Glibc.open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system("cannot open", path, errno: errno) }
        defer { Glibc.close(descriptor) }
        var mark = [UInt8](repeating: 0, count: 4)
        var count = 0
        while count < mark.count {
            let got = mark.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            // A directory opens but does not read ("Is a directory").
            if got < 0 { throw .system("cannot read", path, errno: errno) }
            if got == 0 { break }
            count += got
        }
        guard count >= 2 else { return }
        let utf16 = (mark[0] == 0xFF && mark[1] == 0xFE) || (mark[0] == 0xFE && mark[1] == 0xFF)
        let utf32 = count >= 4 && mark[0] == 0 && mark[1] == 0 && mark[2] == 0xFE && mark[3] == 0xFF
        if utf16 || utf32 {
            throw BulkIOError(
                code: "encoding", message: "\(path):1: the file is \(utf32 ? "UTF-32" : "UTF-16"); save it as UTF-8",
                path: path, line: 1
            )
        }
    }

    /// The error for what stopped `GuardedInput`.
    private static func problemError(_ problem: GuardedInput.Problem, shown: String, path: String) -> BulkIOError {
        switch problem {
        case .nul(let line):
            BulkIOError(
                code: "encoding",
                message: "\(shown):\(line): contains NUL bytes (is it UTF-16, or no text file at all? save it as UTF-8)",
                path: path, line: line
            )
        case .longLine(let line):
            BulkIOError(
                code: "encoding",
                message: "\(shown):\(line): \(line == 1 ? "the first line" : "this line") is longer than 1 MB: is it a CSV file?",
                path: path, line: line
            )
        }
    }
}

extension CSVFile: LuaObject {
    static let luaTypeName = "flireo.CSVFile"

    static var luaMethods: [String: LuaMethod<CSVFile>] {
        [
            "next": .sync(doc: "f:next() -> fields, line: the next record and its first line, or nil at the end") { file, call in
                guard let (fields, line) = try file.next() else {
                    call.pushNil()
                    return 1
                }
                call.push(.table(LuaTable(array: fields.map { LuaValue.string($0) })))
                call.push(line)
                return 2
            },
            "close": .sync(doc: "f:close(): stops reading") { file, _ in
                file.close()
                return 0
            },
        ]
    }

    static var luaFieldNames: [String] { ["path"] }

    func luaField(_ name: String) -> LuaValue? {
        name == "path" ? .string(path) : nil
    }

    var luaDescription: String { "flireo.CSVFile<\(path)>" }
}
