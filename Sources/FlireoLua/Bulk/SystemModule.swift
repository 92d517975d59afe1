#if canImport(Glibc)
import Glibc
#endif
import LuaKit

/// `flireo.native.system`: what the bulk runner needs of the process and that plain
/// Lua lacks: whether a stream is a terminal, its width, and the source of the shipped
/// scripts (their headers are their usage text). The clock is the flireo module's.
enum SystemModule {
    static let name = "flireo.native.system"

    static var functions: [String: LuaFunction] {
        [
            // isatty(fd) -> boolean: 0 stdin, 1 stdout, 2 stderr.
            "isatty": { call in
                call.push(isatty(Int32(clamping: try call.integer(1))) != 0)
                return 1
            },
            // columns() -> integer: the terminal width of stderr (COLUMNS, else 80).
            "columns": { call in
                var size = winsize()
                if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                    call.push(Int(size.ws_col))
                } else if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 {
                    call.push(columns)
                } else {
                    call.push(80)
                }
                return 1
            },
            // script_source(name) -> the text of shipped script `name`, or nil.
            "script_source": { call in
                let name = try call.string(1)
                guard let source = FlireoStdlib.scripts[name] else {
                    call.pushNil()
                    return 1
                }
                call.push(source)
                return 1
            },
        ]
    }
}
