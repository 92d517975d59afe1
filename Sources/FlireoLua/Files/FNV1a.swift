#if canImport(Glibc)
import Glibc
#endif

/// The 64-bit FNV-1a hash: a fingerprint that tells whether a journal was written for
/// the same input (not a defence against someone forging one).
struct FNV1a: Sendable {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Mixes bytes in.
    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        value = hash
    }

    /// The hash as 16 lowercase hex digits.
    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of a whole file, read in blocks.
    /// - Parameter path: the file.
    /// - Returns: 16 hex digits.
    /// - Throws: `BulkIOError` when it cannot be opened or read.
    static func file(_ path: String) throws(BulkIOError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system("cannot open", path, errno: errno) }
        defer { close(descriptor) }
        var hash = FNV1a()
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("cannot read", path, errno: errno)
            }
            if n == 0 { break }
            block.withUnsafeBytes { hash.combine(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
        return hash.hex
    }
}
