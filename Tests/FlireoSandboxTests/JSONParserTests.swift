@testable import FlireoSandbox
import Testing

/// The request-body parser and the id type: strict, bounded, never trapping.
@Suite("JSON parser and ids")
struct JSONParserTests {
    @Test("parses the RFC 8259 value kinds and escapes")
    func parses() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e1, true, false, null], "s": "q\"\\\/\n\u00e9\ud83d\ude00", "n": 9223372036854775807} "#)
        #expect(value["a"] == .array([.int(1), .double(-25), .bool(true), .bool(false), .null]))
        #expect(value["s"] == .string("q\"\\/\né😀"))
        #expect(value["n"] == .int(Int.max))
    }

    @Test("rejects what is not JSON, with an offset")
    func rejects() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\\x\"", "\"\u{01}\"", "{} {}", "\"\\ud800\"", "1e999"] {
            #expect(throws: JSONParser.SyntaxError.self, "\(text.debugDescription)") { try JSONParser.parse(text) }
        }
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test("serialization escapes what JSON requires and parses back to the same value")
    func roundTrip() throws {
        let value: JSON = ["text": .string("tab\t\"quote\" \u{0007} ünï"), "list": [1, .double(0.5), .null], "flag": true]
        #expect(try JSONParser.parse(value.serialized) == value)
        #expect(value.serialized.hasPrefix(#"{"text":"tab\t\"quote\" \u0007 ünï""#))
    }

    @Test("ids parse in either case, print lowercase, and reject near misses")
    func ids() {
        let id = SandboxID("660E8400-e29b-41d4-a716-446655440000")
        #expect(id?.description == "660e8400-e29b-41d4-a716-446655440000")
        for bad in ["", "660e8400e29b41d4a716446655440000", "660e8400-e29b-41d4-a716-44665544000", "660e8400-e29b-41d4-a716-4466554400000",
                    "g60e8400-e29b-41d4-a716-446655440000", "660e8400-e29b_41d4-a716-446655440000"] {
            #expect(SandboxID(bad) == nil, "\(bad)")
        }
        var generator = SplitMix64(seed: 1)
        let random = generator.id().description
        #expect(Array(random)[14] == "4")
        #expect("89ab".contains(Array(random)[19]))
    }

    @Test("timestamps render as UTC ISO 8601")
    func timestamps() {
        #expect(WallClock.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(WallClock.iso8601(1_736_937_000) == "2025-01-15T10:30:00Z")
        #expect(WallClock.iso8601(951_782_400) == "2000-02-29T00:00:00Z")
    }
}
