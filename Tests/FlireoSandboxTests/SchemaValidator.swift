import Foundation

/// Validates JSON against the subset of JSON Schema the seed page and our fixtures use:
/// `type`, `nullable` (OpenAPI), `enum`, `properties`, `required`, `additionalProperties: false`,
/// `items`, and the formats `uuid`, `e164` and `date-time`.
struct SchemaValidator {
    let schema: JSONValue
    let name: String

    /// Loads `Schemas/<name>.schema.json` from the test bundle.
    init(named name: String) throws {
        guard let url = Bundle.module.url(forResource: "\(name).schema", withExtension: "json", subdirectory: "Schemas") else {
            throw ValidationFailure(path: "", problem: "schema \(name) not found in the test bundle")
        }
        self.schema = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        self.name = name
    }

    /// A validation failure and where it happened.
    struct ValidationFailure: Error, CustomStringConvertible {
        var path: String
        var problem: String
        var description: String { "\(path.isEmpty ? "$" : path): \(problem)" }
    }

    /// Every violation in `value` (empty when valid).
    func violations(of value: JSONValue?) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        guard let value else { return [ValidationFailure(path: "", problem: "no JSON body")] }
        check(value, against: schema, path: "$", into: &failures)
        return failures
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into failures: inout [ValidationFailure]) {
        if value.isNull {
            if schema["nullable"]?.bool == true || schema["type"]?.string == "null" { return }
            if let type = schema["type"] { failures.append(.init(path: path, problem: "null where \(type) is required")) }
            return
        }
        if let type = schema["type"]?.string, !matches(value, type: type) {
            failures.append(.init(path: path, problem: "expected \(type), got \(value)"))
            return
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            failures.append(.init(path: path, problem: "\(value) is not one of \(allowed)"))
        }
        if let format = schema["format"]?.string, let string = value.string, !conforms(string, to: format) {
            failures.append(.init(path: path, problem: "'\(string)' is not a valid \(format)"))
        }
        if let members = value.object {
            let properties = schema["properties"]?.object ?? [:]
            for required in schema["required"]?.array?.compactMap(\.string) ?? [] where members[required] == nil {
                failures.append(.init(path: path, problem: "missing required member '\(required)'"))
            }
            for (key, member) in members {
                if let propertySchema = properties[key] {
                    check(member, against: propertySchema, path: "\(path).\(key)", into: &failures)
                } else if schema["additionalProperties"]?.bool == false {
                    failures.append(.init(path: path, problem: "unexpected member '\(key)'"))
                }
            }
        }
        if let elements = value.array, let items = schema["items"] {
            for (index, element) in elements.enumerated() {
                check(element, against: items, path: "\(path)[\(index)]", into: &failures)
            }
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int): return true
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }

    private func conforms(_ string: String, to format: String) -> Bool {
        switch format {
        case "uuid":
            return string.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", options: .regularExpression) != nil
        case "e164":
            return string.range(of: "^\\+[1-9][0-9]{6,14}$", options: .regularExpression) != nil
        case "date-time":
            return string.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$", options: .regularExpression) != nil
        default:
            return true
        }
    }
}
