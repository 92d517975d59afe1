import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads and saves the `--state` JSON file. Saving writes a temporary file beside the target,
/// flushes it and renames it over the target, so a crash never leaves half a file.
enum StateFile {
    /// The saved state, or nil when the file does not exist.
    /// - Parameter path: The file.
    /// - Returns: The state.
    /// - Throws: `SandboxError` when the file exists but cannot be read or decoded.
    static func load(_ path: String) throws(SandboxError) -> SandboxState? {
        guard FileManager.default.fileExists(atPath: path) else {
            // Saved at exit: a place it cannot be written would lose the whole session.
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: directory) else {
                throw SandboxError("cannot save the state to \(path): \(directory) is not a writable directory")
            }
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxError("cannot read state file \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(SandboxState.self, from: data)
        } catch {
            throw SandboxError("state file \(path) is not a sandbox state: \(describe(error))")
        }
    }

    /// Writes the state atomically (mode 0600: it holds the sandbox's API keys).
    /// - Parameters:
    ///   - state: The state.
    ///   - path: The file.
    /// - Throws: `SandboxError` when encoding or writing fails (the old file is then intact).
    static func save(_ state: SandboxState, to path: String) throws(SandboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw SandboxError("cannot encode the state: \(error)")
        }
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw SandboxError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return }
                let written = write(descriptor, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw SandboxError("cannot save state to \(path): \(failure)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.keyNotFound(_, let context),
             DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
