import FlireoAPI
import Foundation
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("integers stay exact beyond 2^53 and floats stay floats")
    func numbers() throws {
        let text = #"{"big": 9007199254740993, "max": 9223372036854775807, "min": -9223372036854775808, "f": 1.0, "e": 2e3}"#
        let value = try JSONValue(parsing: text)
        #expect(value["big"] == .integer(9_007_199_254_740_993))
        #expect(value["max"] == .integer(Int64.max))
        #expect(value["min"] == .integer(Int64.min))
        #expect(value["f"] == .double(1.0))
        #expect(value["e"] == .double(2000))
        #expect(String(decoding: try value.encoded(), as: UTF8.self)
            == #"{"big":9007199254740993,"max":9223372036854775807,"min":-9223372036854775808,"f":1.0,"e":2000.0}"#)
        // Beyond 64 bits an integer becomes a float rather than failing.
        #expect(try JSONValue(parsing: "18446744073709551616") == .double(18_446_744_073_709_551_616))
    }

    @Test("object keys keep their order through parse and encode")
    func keyOrder() throws {
        let text = #"{"zeta":1,"alpha":{"y":true,"b":null},"mid":[3,"x"]}"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        #expect(String(decoding: try value.encoded(), as: UTF8.self) == text)
    }

    @Test("strings: escapes, surrogate pairs and control characters round-trip")
    func strings() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\t\u00e9\ud83d\ude00\u0001""#)
        #expect(value == .string("a\"b\\c/d\n\té😀\u{01}"))
        #expect(try JSONValue(parsing: try value.encoded()) == value)
    }

    @Test("malformed documents are errors naming the offset, never a crash", arguments: [
        "", "{", "[1,]", #"{"a" 1}"#, "tru", "01", "1.", "-", #""\ud800""#, #""\x""#, "\"a\u{01}\"", "[1] 2", "{\"a\":1,}",
        "1e999",
    ])
    func malformed(_ text: String) {
        #expect(throws: FlireoError.self) { try JSONValue(parsing: text) }
        let error = try? #require(throws: FlireoError.self) { try JSONValue(parsing: text) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("at byte") == true)
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try? #require(throws: FlireoError.self) { try JSONValue(parsing: text) }
        #expect(error?.message.contains("nested too deeply") == true)
        #expect(throws: Never.self) { try JSONValue(parsing: String(repeating: "[", count: 500) + String(repeating: "]", count: 500)) }
    }

    @Test("NaN and infinity cannot be sent")
    func nonFinite() {
        #expect(throws: FlireoError.self) { try JSONValue.double(.nan).encoded() }
        #expect(JSONValue.array([.double(.infinity)]).description == "[null]")
    }

    @Test("object equality ignores order; duplicates resolve to the last")
    func equality() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: #"{"a":1}"#) != JSONValue(parsing: #"{"a":1.0}"#))
        #expect(try JSONValue(parsing: #"{"a":1,"a":2}"#)["a"] == .integer(2))
    }

    @Test("Codable round trip through Foundation keeps values")
    func codable() throws {
        let value: JSONValue = ["id": "x", "n": 3, "f": 0.5, "ok": true, "none": nil, "list": [1, "two"]]
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(back == value)
    }
}
