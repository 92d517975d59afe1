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
            // in_use(path) -> boolean: whether another run has the file open to append to it.
            "in_use": { call in
                call.push(AppendFile.isInUse(try call.string(1)))
                return 1
            },
            // truncate(path, length): cuts a file to `length` bytes (a journal's torn last line).
            "truncate": { call in
                let path = try call.string(1)
                let length = try call.integer(2)
                guard length >= 0 else { throw LuaArgumentError(index: 2, message: "a non-negative length expected") }
                guard Glibc.truncate(path, off_t(length)) == 0 else { throw BulkIOError.system("cannot truncate", path, errno: errno) }
                return 0
            },
            // kind(path) -> "file", "directory", "other" (a device, a socket, …) or nil when
            // nothing is there; a symbolic link is followed.
            "kind": { call in
                var info = stat()
                guard stat(try call.string(1), &info) == 0 else {
                    call.pushNil()
                    return 1
                }
                switch info.st_mode & S_IFMT {
                case S_IFREG: call.push("file")
                case S_IFDIR: call.push("directory")
                default: call.push("other")
                }
                return 1
            },
            // resolve(path) -> string|nil: the path with every symbolic link followed (what a
            // write through it reaches; for a link to nothing yet, its target), or nil when
            // nothing is there.
            "resolve": { call in
                let path = try call.string(1)
                if let resolved = realpath(path, nil) {
                    defer { free(resolved) }
                    call.push(String(cString: resolved))
                    return 1
                }
                // A symbolic link to nothing yet: where a write through it would create the
                // file (its target, relative to the link's directory).
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = readlink(path, &buffer, buffer.count - 1)
                guard length > 0 else {
                    call.pushNil()
                    return 1
                }
                let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
                call.push(target.hasPrefix("/") ? target : (directory.isEmpty ? "/" : directory) + "/" + target)
                return 1
            },
            // can_create(path) -> boolean: whether a new file could be made at `path` now
            // (nothing is there, and its directory exists and is writable).
            "can_create": { call in
                let path = try call.string(1)
                var info = stat()
                let slash = path.lastIndex(of: "/")
                let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
                call.push(lstat(path, &info) != 0 && errno == ENOENT && access(directory, W_OK | X_OK) == 0)
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
