import FlireoAPI
@testable import FlireoLua
import Testing

/// What `tostring` of an assistant shows: its name is the server's text.
@Suite("Assistant descriptions")
struct AssistantDescriptionTests {
    @Test("a name holding terminal controls is shown escaped, and a long one cut")
    func nameIsShownNotActedOn() {
        let client = FlireoClientObject(configuration: .failure(FlireoError(code: .configuration, message: "none")))
        let id = "660e8400-e29b-41d4-a716-446655440000"
        let hostile = AssistantObject(client: client, id: id, name: "Desk\u{1B}]0;PWNED\u{7}\u{9B}2J\u{202E}x")
        #expect(hostile.luaDescription == #"flireo.assistant<660e8400… "Desk\u{1B}]0;PWNED\u{7}\u{9B}2J\u{202E}x">"#)
        let long = AssistantObject(client: client, id: id, name: String(repeating: "n", count: 200))
        #expect(long.luaDescription == "flireo.assistant<660e8400… \"" + String(repeating: "n", count: 80) + "…\">")
        #expect(AssistantObject(client: client, id: id, name: "Front desk — Amsterdam").luaDescription
            == "flireo.assistant<660e8400… \"Front desk — Amsterdam\">")
    }
}
