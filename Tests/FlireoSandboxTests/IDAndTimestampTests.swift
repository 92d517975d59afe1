@testable import FlireoSandbox
import Testing

/// The id type and timestamps: strict, never trapping. (The JSON parser and writer are
/// FlireoAPI's, tested there.)
@Suite("Ids and timestamps")
struct IDAndTimestampTests {
    @Test("ids parse in either case, print lowercase, and reject near misses")
    func ids() {
        let id = SandboxID("660E8400-e29b-41d4-a716-446655440000")
        #expect(id?.description == "660e8400-e29b-41d4-a716-446655440000")
        for bad in ["", "660e8400e29b41d4a716446655440000", "660e8400-e29b-41d4-a716-44665544000", "660e8400-e29b-41d4-a716-4466554400000",
                    "g60e8400-e29b-41d4-a716-446655440000", "660e8400-e29b_41d4-a716-446655440000"] {
            #expect(SandboxID(bad) == nil, "\(bad)")
        }
        var generator = SplitMix64(seed: 1)
        let random = generator.id().description
        #expect(Array(random)[14] == "4")
        #expect("89ab".contains(Array(random)[19]))
    }

    @Test("timestamps render as UTC ISO 8601")
    func timestamps() {
        #expect(WallClock.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(WallClock.iso8601(1_736_937_000) == "2025-01-15T10:30:00Z")
        #expect(WallClock.iso8601(951_782_400) == "2000-02-29T00:00:00Z")
    }
}
