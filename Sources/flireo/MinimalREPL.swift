#if canImport(Glibc)
import Glibc
#endif
import LuaKit

/// A read-eval-print loop as `lua.c` has it: `return <line>` first, continuation lines
/// while the chunk is incomplete, results printed with `print`.
struct MinimalREPL {
    let state: LuaState

    func run() {
        while let chunk = readChunk() {
            do {
                let count = try state.callKeepingResults(chunk)
                guard count > 0 else { continue }
                state.pushRawGlobal("print")
                state.moveTop(below: count)
                try state.protectedCall(nargs: count, nresults: 0)
            } catch {
                Output.err("\(error.description)\n")
            }
        }
        Output.out("\n")
    }

    private func readLine(prompt: String) -> String? {
        Output.out(prompt)
        return Swift.readLine(strippingNewline: true)
    }

    /// Reads one complete chunk (possibly several lines) and compiles it.
    private func readChunk() -> LuaRef? {
        while true {
            guard var line = readLine(prompt: "> ") else { return nil }
            if line.hasPrefix("=") { line = "return " + line.dropFirst() }
            if let chunk = try? state.load("return " + line + ";", name: "=stdin") { return chunk }
            while true {
                do {
                    return try state.load(line, name: "=stdin")
                } catch where error.kind == .syntax && error.message.hasSuffix("<eof>") {
                    guard let more = readLine(prompt: ">> ") else { return nil }
                    line += "\n" + more
                } catch {
                    Output.err("\(error.message)\n")
                    break
                }
            }
        }
    }
}
