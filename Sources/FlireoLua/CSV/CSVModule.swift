import CSV
import Foundation
import LuaKit

/// `flireo.native.csv`: RFC 4180 reading and writing through CSV.swift. Header mapping,
/// validation and line-numbered messages live in `stdlib/flireo/csv.lua`.
enum CSVModule {
    static let name = "flireo.native.csv"

    static var functions: [String: LuaFunction] {
        [
            // open(path) -> flireo.CSVFile ("-" reads stdin).
            "open": { call in
                call.push(object: try CSVFile.open(try call.string(1)))
                return 1
            },
            // format(fields [, newline]) -> one record as text, ending with newline ("\r\n" by default).
            "format": { call in
                try call.require(1, is: .table)
                let newline = try call.optionalString(2) ?? "\r\n"
                guard case .table(let table) = try call.value(1) else { throw LuaArgumentError.expected("table", at: 1) }
                // A nil inside the sequence is an empty field, not its end: the values after it
                // came in the table's other keys, and every position up to the last is kept.
                var values = table.array
                for (key, value) in table.hash {
                    guard case .integer(let position) = key, position > values.count, position <= 1 << 20 else {
                        let shown = key.stringValue.map { "\"\($0.prefix(40))\"" } ?? key.integerValue.map { String($0) } ?? "a non-integer key"
                        throw LuaArgumentError(index: 1, message: "holds the key \(shown), not a field's position (1, 2, …)")
                    }
                    values += Array(repeating: .nil, count: Int(position) - values.count - 1)
                    values.append(value)
                }
                var fields: [String] = []
                fields.reserveCapacity(values.count)
                for (offset, value) in values.enumerated() {
                    switch value {
                    case .string(let text): fields.append(text.text)
                    case .integer(let number): fields.append(String(number))
                    case .number(let number): fields.append(String(number))
                    case .boolean(let flag): fields.append(flag ? "true" : "false")
                    case .nil, .null: fields.append("")
                    default:
                        throw LuaArgumentError(index: 1, message: "field \(offset + 1) is not a string or number")
                    }
                }
                call.push(try format(fields) + newline)
                return 1
            },
        ]
    }

    /// One record as RFC 4180 text (fields quoted when they hold a comma, quote or line
    /// break), without the trailing newline.
    static func format(_ fields: [String]) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: fields)
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
