/// The benchmark's few options, parsed by hand to keep the tool dependency-free.
struct BenchOptions {
    var seconds = 5.0
    var rounds = 3
    var concurrency = 32
    var url: String?
    var port = 8088

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
            default: throw Invalid(description: "unknown option \(flag)")
            }
        }
    }

    private static func number(_ text: String, _ flag: String) throws -> Double {
        guard let value = Double(text), value > 0 else { throw Invalid(description: "\(flag) expects a positive number") }
        return value
    }
}
