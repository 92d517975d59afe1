import Foundation
import LuaKit

@testable import FlireoREPL

/// Files of this repository (the stdlib sources the tests load).
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func source(_ path: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }
}

/// A Lua state with `flireo.inspect` loadable and the REPL's runtime installed, `help`
/// pages captured instead of printed. Used on one thread, within one test.
final class REPLFixture {
    let state: LuaState
    private(set) var runtime: REPLRuntime!
    let desk: HelpDesk
    private let pages = Pages()

    private final class Pages {
        var last = ""
    }

    /// - Parameter meta: more annotated sources for help, by module name.
    init(meta: [String: String] = [:]) throws {
        state = try LuaState()
        state.addEmbeddedModules(["flireo.inspect": Repository.source("stdlib/flireo/inspect.lua")])
        desk = HelpDesk(sources: meta.merging(["meta.luakit": Repository.source("stdlib/meta/luakit.lua")]) { $1 }, color: false)
        let desk = self.desk
        let pages = self.pages
        runtime = try REPLRuntime(state: state) { pages.last = desk.text(for: $0) }
    }

    /// Runs Lua code in a host coroutine and returns copies of its results.
    @discardableResult
    func run(_ code: String) throws -> [LuaValue] {
        try state.run(code, name: "=test")
    }

    /// The string `code` returns.
    func string(_ code: String) throws -> String {
        try run(code).first?.stringValue ?? "<not a string>"
    }

    /// What `help(<arguments>)` shows.
    func help(_ arguments: String) throws -> String {
        pages.last = ""
        try run("help(\(arguments))")
        return pages.last
    }
}
