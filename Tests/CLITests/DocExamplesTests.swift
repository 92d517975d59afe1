import Foundation
import Testing
import TestSupport

/// Every ```lua example of the README runs, against the embedded sandbox, without error:
/// the documentation cannot rot. (A block fenced ```lua no-run is prose only.)
@Suite("README examples", .blocking)
struct DocExamplesTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let line: Int
        let code: String
        var testDescription: String { "README.md line \(line)" }
    }

    static var examples: [Example] {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return [] }
        var examples: [Example] = []
        var current: [String]?
        var start = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```lua" {
                current = []
                start = index + 2
            } else if current != nil, line == "```" {
                examples.append(Example(line: start, code: current!.joined(separator: "\n")))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return examples
    }

    @Test("the README has runnable examples")
    func thereAreExamples() {
        #expect(Self.examples.count >= 10)
    }

    @Test("each README example runs on the sandbox", arguments: examples)
    func runs(example: Example) throws {
        let result = try Subprocess.run(
            ["--sandbox", "-"], stdin: example.code,
            environment: ["FLIREO_API_KEY": "sk_sandbox_0123456789abcdef", "NO_COLOR": "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("stack traceback"), "\(result.stderr)")
    }
}
