#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Unix time, for the headers that speak it (`X-RateLimit-Reset`, `Retry-After` dates).
enum WallClock {
    /// Seconds since 1970-01-01T00:00:00Z.
    static func now() -> Double {
        Date().timeIntervalSince1970
    }
}
