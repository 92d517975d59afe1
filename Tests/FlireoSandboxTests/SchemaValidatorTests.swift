import Foundation
import Testing

/// The validator must reject what the schemas forbid, or the contract tests prove nothing.
@Suite("Schema validator")
struct SchemaValidatorTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("accepts the seed page's own examples")
    func acceptsExamples() throws {
        let get = try SchemaValidator(named: "link-get")
        #expect(get.violations(of: try parse("""
        {"data": {"assistant_id": "660e8400-e29b-41d4-a716-446655440000", "assistant_name": "Customer Support Agent",
         "phone_number": {"id": "550e8400-e29b-41d4-a716-446655440000", "number": "+31201234567", "type": "local",
                          "locality": "Amsterdam", "origin": "custom"}}}
        """)).isEmpty)
        #expect(get.violations(of: try parse("""
        {"data": {"assistant_id": "660e8400-e29b-41d4-a716-446655440000", "assistant_name": "x", "phone_number": null}}
        """)).isEmpty)
    }

    @Test("rejects wrong types, enums, formats, nulls and missing or extra members")
    func rejects() throws {
        let get = try SchemaValidator(named: "link-get")
        #expect(!get.violations(of: try parse(#"{"data": {"assistant_id": "nope"}}"#)).isEmpty)
        #expect(!get.violations(of: try parse(#"{"data": {"phone_number": {"origin": "borrowed"}}}"#)).isEmpty)
        #expect(!get.violations(of: try parse(#"{"data": {"assistant_name": null}}"#)).isEmpty)
        #expect(!get.violations(of: try parse(#"{"data": []}"#)).isEmpty)
        let post = try SchemaValidator(named: "link-post")
        #expect(!post.violations(of: try parse(#"{"data": {"released_assistants": "2"}}"#)).isEmpty)
        let envelope = try SchemaValidator(named: "error-envelope")
        #expect(!envelope.violations(of: try parse(#"{"error": {"code": "x", "message": "y"}}"#)).isEmpty)
        #expect(!envelope.violations(of: try parse(#"{"error": {"code": "x", "message": "y", "details": {}}, "extra": 1}"#)).isEmpty)
        #expect(!envelope.violations(of: nil).isEmpty)
    }
}
