/// The benchmark's few options, parsed by hand to keep the tool dependency-free.
struct BenchOptions {
    var seconds = 5.0
    var rounds = 3
    var concurrency = 32
    var url: String?
    var port = 8088
    var key: String?
    var ids: String?
    var number: String?
    var serverPID: Int?
    /// `links`: POST (link) or GET (read the link back).
    var read = false

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw Invalid(description: "\(flag) needs a value") }
            switch flag {
            case "--seconds": seconds = try Self.number(value, flag)
            case "--concurrency": concurrency = Int(try Self.number(value, flag))
            case "--rounds": rounds = Int(try Self.number(value, flag))
            case "--port": port = Int(try Self.number(value, flag))
            case "--url": url = value
            case "--key": key = value
            case "--ids": ids = value
            case "--number": number = value
            case "--method":
                guard ["GET", "POST"].contains(value) else { throw Invalid(description: "--method expects GET or POST") }
                read = value == "GET"
            case "--server-pid": serverPID = Int(try Self.number(value, flag))
            default: throw Invalid(description: "unknown option \(flag)")
            }
        }
    }

    private static func number(_ text: String, _ flag: String) throws -> Double {
        guard let value = Double(text), value > 0 else { throw Invalid(description: "\(flag) expects a positive number") }
        return value
    }
}
