#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that is bound but not listening: connecting to it is refused.
struct ClosedPort {
    struct Failure: Error {}

    let port: Int
    private let fd: Int32

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let socket = fd
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(socket, sa, length) == 0 && getsockname(socket, sa, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(socket)
            throw Failure()
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Glibc.close(fd)
    }
}
