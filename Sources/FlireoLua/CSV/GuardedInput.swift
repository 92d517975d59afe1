#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The bytes CSV.swift reads, from a file descriptor, watched on their way: a NUL byte
/// (a binary file, UTF-16 without its mark, a crash's zeros, `/dev/zero`) or a line
/// longer than `lineLimit` (one endless record) stops the reading at that point, before
/// the reader would gather hundreds of megabytes into one field. Records before it are
/// read as usual; the read that reaches it fails, and `problem` says what and where.
///
/// Lines are counted as `CSVFile` counts them: LF, CR LF and a lone CR each end one.
final class GuardedInput: InputStream {
    enum Problem: Equatable {
        case nul(line: Int)
        case longLine(line: Int)
    }

    /// What stopped the reading, if anything did.
    private(set) var problem: Problem?
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var status: Stream.Status = .notOpen
    private var line = 1
    private var lineLength = 0
    private var previous: UInt8 = 0
    private var held: Problem?

    /// The longest line a CSV file may have.
    static let lineLimit = 1 << 20

    /// Opens `path` (`/dev/stdin` reads descriptor 0 without closing it); nil when it
    /// cannot be opened (errno set).
    init?(path: String) {
        if path == "/dev/stdin" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            ownsDescriptor = true
        }
        super.init(data: Data())
    }

    deinit {
        if ownsDescriptor && status != .closed { Glibc.close(descriptor) }
    }

    override func open() { if status == .notOpen { status = .open } }

    override func close() {
        if ownsDescriptor && status != .closed { Glibc.close(descriptor) }
        status = .closed
    }

    override var streamStatus: Stream.Status { status }

    override var streamError: (any Error)? { problem.map { _ in CocoaError(.fileReadCorruptFile) } }

    override var hasBytesAvailable: Bool { status == .open && problem == nil }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        // The bytes before a problem were handed out by the last read: now it is said.
        if let held {
            problem = held
            status = .error
            return -1
        }
        guard status == .open, maxLength > 0 else { return status == .atEnd ? 0 : -1 }
        var got: Int
        repeat { got = Glibc.read(descriptor, buffer, maxLength) } while got < 0 && errno == EINTR
        if got <= 0 {
            if got == 0 { status = .atEnd }
            return got
        }
        for index in 0..<got {
            let byte = buffer[index]
            var found: Problem?
            if byte == 0 {
                found = .nul(line: line)
            } else if byte == 0x0A || byte == 0x0D {
                if !(byte == 0x0A && previous == 0x0D) { line += 1 }
                lineLength = 0
            } else {
                lineLength += 1
                if lineLength > Self.lineLimit { found = .longLine(line: line) }
            }
            previous = byte
            if let found {
                if index == 0 {
                    problem = found
                    status = .error
                    return -1
                }
                held = found
                return index
            }
        }
        return got
    }
}
