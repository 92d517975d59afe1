#if canImport(Glibc)
import Glibc
#endif
import LuaKit

/// `flireo.native.files`: the file primitives the journal is built on. Policy (record
/// format, resume, refusing another run's journal) lives in `stdlib/flireo/journal.lua`.
enum FilesModule {
    static let name = "flireo.native.files"

    static var functions: [String: LuaFunction] {
        [
            // create(path) -> flireo.AppendFile: a new file; an existing one is an error.
            "create": { call in
                call.push(object: try AppendFile.create(try call.string(1)))
                return 1
            },
            // append(path) -> flireo.AppendFile: an existing file, opened for appending.
            "append": { call in
                call.push(object: try AppendFile.append(try call.string(1)))
                return 1
            },
            // hash(text) -> 16 hex digits (FNV-1a 64).
            "hash": { call in
                guard call.type(1) == .string else { throw LuaArgumentError.expected("string", at: 1) }
                var hash = FNV1a()
                call.withBytes(1) { hash.combine($0) }
                call.push(hash.hex)
                return 1
            },
            // hash_file(path) -> 16 hex digits (FNV-1a 64 of the file's bytes).
            "hash_file": { call in
                call.push(try FNV1a.file(try call.string(1)))
                return 1
            },
        ]
    }
}
