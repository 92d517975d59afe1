#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ProfileFile {
    /// Reads and parses the file at `path`, refusing it when it holds an API key and
    /// anyone but its owner may read or write it.
    /// - Parameters:
    ///   - path: the config file.
    ///   - noteKeys: shown the parsed file before any check of it, so its keys can be masked in errors.
    /// - Returns: the parsed file, or `nil` when there is none.
    /// - Throws: ``FlireoError`` `configuration` for an unreadable, malformed or too open file.
    static func load(path: String, noteKeys: (ProfileFile) -> Void = { _ in }) throws -> ProfileFile? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw FlireoError.configuration("Cannot read \(path): \(Self.systemMessage(code))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FlireoError.configuration("Cannot read \(path): it is not a regular file")
        }
        let text = try readText(path)
        let file = try ProfileFile(text: text, path: path)
        noteKeys(file)
        let mode = info.st_mode & 0o777
        if file.holdsKey && (mode & 0o077) != 0 {
            throw FlireoError.configuration(
                "Refusing to use \(path): it holds an API key but its mode is \(octal(mode)), so other users can read it. "
                    + "Fix it with: chmod 600 \(path)"
            )
        }
        return file
    }

    private static func readText(_ path: String) throws -> String {
        guard let handle = fopen(path, "r") else {
            throw FlireoError.configuration("Cannot read \(path): \(systemMessage(errno))")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            bytes.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
            guard bytes.count <= 1 << 20 else {
                throw FlireoError.configuration("Cannot read \(path): larger than 1 MiB, not a config file")
            }
        }
        guard ferror(handle) == 0 else {
            throw FlireoError.configuration("Cannot read \(path): read error")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func systemMessage(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message).lowercased()
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
