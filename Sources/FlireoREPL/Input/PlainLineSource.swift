#if canImport(Glibc)
import Glibc
#endif
import CEditLine

/// Lines from stdin when it is not a terminal (a pipe, a file): the prompt is printed
/// as `lua -i` does, and nothing else is written, so no escape sequences reach a pipe.
/// Reads through C's `stdin`, the stream `io.read` uses, and never ahead of a line.
final class PlainLineSource: LineSource {
    func readLine(prompt: String) -> LineInput {
        Console.out(prompt)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        let count = getline(&line, &capacity, cel_stdin())
        guard count >= 0, let line else { return .endOfInput }
        var bytes = Array(UnsafeRawBufferPointer(start: line, count: count))
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return .line(bytes)
    }

    func remember(_ entry: [UInt8]) {}
}
