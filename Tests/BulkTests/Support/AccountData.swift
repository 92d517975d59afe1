import Foundation

/// What a test needs to know of an account to write its CSV files: read once through the
/// API before the script runs (faults off).
struct AccountData {
    struct Assistant {
        var id: String
        var numberID: String?
        var number: String?
        var origin: String?
    }

    struct Number {
        var id: String
        var number: String
        var available: Bool
    }

    var assistants: [Assistant]
    var numbers: [Number]
    var defaults: [String]

    /// Reads the account of `key` (the sandbox's first key by default).
    init(_ sandbox: SandboxServer, key: String? = nil) throws {
        assistants = try sandbox.list("/v1/assistants", key: key).map { item in
            let phone = item["phone_number"] as? [String: Any]
            return Assistant(id: item["id"] as? String ?? "", numberID: phone?["id"] as? String,
                             number: phone?["number"] as? String, origin: phone?["origin"] as? String)
        }
        numbers = try sandbox.list("/v1/phone-numbers", key: key).map { item in
            Number(id: item["id"] as? String ?? "", number: item["phone_number"] as? String ?? "",
                   available: item["available"] as? Bool ?? false)
        }
        defaults = try sandbox.fixture(key: key)["default_numbers"] as? [String] ?? []
    }

    /// Custom numbers nobody holds.
    var freeNumbers: [Number] { numbers.filter(\.available) }

    /// The ids of the assistants on shared default numbers.
    var onDefault: [String] { assistants.filter { $0.origin == "default" }.map(\.id) }

    /// Shared default numbers nobody is on.
    var freeDefaults: [String] {
        let held = Set(assistants.compactMap(\.numberID))
        return defaults.filter { !held.contains($0) }
    }

    /// Assistants linked to a custom number.
    var customLinked: [Assistant] { assistants.filter { $0.origin == "custom" } }

    /// Assistants with no number.
    var unlinked: [Assistant] { assistants.filter { $0.numberID == nil } }

    /// The E.164 number of an id.
    func number(of id: String) -> String? { numbers.first { $0.id == id }?.number }
}

/// A CSV text from rows (a header first), LF line ends.
func csvText(_ rows: [[String]]) -> String {
    rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
}
