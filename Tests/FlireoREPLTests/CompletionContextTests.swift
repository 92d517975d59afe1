import Testing

@testable import FlireoREPL

@Suite struct CompletionContextTests {
    @Test func namesAndMembers() {
        #expect(CompletionContext(before: "") == .name(prefix: ""))
        #expect(CompletionContext(before: "pri") == .name(prefix: "pri"))
        #expect(CompletionContext(before: "x = spa") == .name(prefix: "spa"))
        #expect(CompletionContext(before: "print(json.enc") == .member(path: ["json"], method: false, prefix: "enc"))
        #expect(CompletionContext(before: "a.b.c") == .member(path: ["a", "b"], method: false, prefix: "c"))
        #expect(CompletionContext(before: "t:wa") == .member(path: ["t"], method: true, prefix: "wa"))
        #expect(CompletionContext(before: "flireo.x:") == .member(path: ["flireo", "x"], method: true, prefix: ""))
        #expect(CompletionContext(before: "s .. na") == .name(prefix: "na"))
        #expect(CompletionContext(before: "s..na") == .name(prefix: "na"))
        #expect(CompletionContext(before: "s..t.na") == .member(path: ["t"], method: false, prefix: "na"))
    }

    @Test func nothingToCompleteWhereNoNameCanBeResolved() {
        #expect(CompletionContext(before: "x = 1.5") == .none)
        #expect(CompletionContext(before: "x = 12") == .none)
        #expect(CompletionContext(before: "f():m") == .none)
        #expect(CompletionContext(before: "t[1].x") == .none)
        #expect(CompletionContext(before: "a:b.c") == .none)
        #expect(CompletionContext(before: "x = 1 -- a comment ab") == .none)
        #expect(CompletionContext(before: "s = [[long ab") == .none)
        #expect(CompletionContext(before: "s = [==[long ]] still ab") == .none)
        #expect(CompletionContext(before: "--[[ block ]] pri") == .name(prefix: "pri"))
        #expect(CompletionContext(before: "s = [[done]] .. na") == .name(prefix: "na"))
    }

    @Test func stringsAndRequire() {
        #expect(CompletionContext(before: "require \"fli") == .module(prefix: "fli", quote: "\""))
        #expect(CompletionContext(before: "local m = require('flireo.") == .module(prefix: "flireo.", quote: "'"))
        #expect(CompletionContext(before: "require ( \"") == .module(prefix: "", quote: "\""))
        #expect(CompletionContext(before: "a = flireo.assistant(\"660e") == .string(before: "a = flireo.assistant(", prefix: "660e", quote: "\""))
        #expect(CompletionContext(before: "a:link('+31") == .string(before: "a:link(", prefix: "+31", quote: "'"))
        #expect(CompletionContext(before: "x = \"a \\\" b") == .string(before: "x = ", prefix: "a \\\" b", quote: "\""))
        #expect(CompletionContext(before: "x = 'done' .. 'ag") == .string(before: "x = 'done' .. ", prefix: "ag", quote: "'"))
    }


    @Test func requireMustBeTheWholeName() {
        #expect(CompletionContext(before: "myrequire \"x") == .string(before: "myrequire ", prefix: "x", quote: "\""))
        #expect(CompletionContext(before: "t.require \"x") == .string(before: "t.require ", prefix: "x", quote: "\""))
    }
}
