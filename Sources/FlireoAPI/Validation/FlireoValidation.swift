/// Checks of the API's identifier formats, public so bindings reject bad input with the
/// same rules before any request.
public enum FlireoValidation {
    /// `true` for a UUID in its canonical 8-4-4-4-12 hexadecimal form (any case).
    /// - Parameter text: the candidate.
    /// - Returns: whether it is a UUID.
    public static func isUUID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return false }
        for (offset, byte) in utf8.enumerated() {
            switch offset {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                guard byte.isHexDigit else { return false }
            }
        }
        return true
    }

    /// `true` for an E.164 number: `+`, then 7 to 15 digits, the first not zero (no
    /// country's numbers are shorter: Niue's, +683 and four digits, are the shortest).
    /// - Parameter text: the candidate.
    /// - Returns: whether it is an E.164 number.
    public static func isE164(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 8, utf8.count <= 16, utf8[0] == UInt8(ascii: "+"), utf8[1] != UInt8(ascii: "0") else {
            return false
        }
        return utf8.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Returns `value` when it is a UUID.
    /// - Parameters:
    ///   - value: the candidate.
    ///   - parameter: the parameter's name, for the message.
    /// - Returns: the value unchanged.
    /// - Throws: ``FlireoError`` `invalid_parameters` naming the parameter.
    @discardableResult
    public static func requireUUID(_ value: String, parameter: String) throws -> String {
        guard isUUID(value) else { throw notUUID(value, parameter: parameter) }
        return value
    }

    /// The error for a value that is not a UUID; `shown` is the value as it may be quoted.
    static func notUUID(_ shown: String, parameter: String) -> FlireoError {
        FlireoError.invalidParameter(parameter, "expected a UUID (8-4-4-4-12 hex digits), got \(FlireoError.quote(shown))")
    }

    /// Returns `value` when it is an E.164 number.
    /// - Parameters:
    ///   - value: the candidate.
    ///   - parameter: the parameter's name, for the message.
    /// - Returns: the value unchanged.
    /// - Throws: ``FlireoError`` `invalid_parameters` naming the parameter.
    @discardableResult
    public static func requireE164(_ value: String, parameter: String) throws -> String {
        guard isE164(value) else { throw notE164(value, parameter: parameter) }
        return value
    }

    /// The error for a value that is not E.164; `shown` is the value as it may be quoted.
    static func notE164(_ shown: String, parameter: String) -> FlireoError {
        FlireoError.invalidParameter(
            parameter, "expected an E.164 number (+ then 7 to 15 digits, e.g. +31201234567), got \(FlireoError.quote(shown))"
        )
    }

    /// Returns `value` when it is one of `allowed`.
    /// - Parameters:
    ///   - value: the candidate.
    ///   - allowed: the accepted values.
    ///   - parameter: the parameter's name, for the message.
    /// - Returns: the value unchanged.
    /// - Throws: ``FlireoError`` `invalid_parameters` naming the parameter and the choices.
    @discardableResult
    public static func requireOneOf(_ value: String, _ allowed: [String], parameter: String) throws -> String {
        guard allowed.contains(value) else { throw notOneOf(value, allowed, parameter: parameter) }
        return value
    }

    /// The error for a value outside `allowed`; `shown` is the value as it may be quoted.
    static func notOneOf(_ shown: String, _ allowed: [String], parameter: String) -> FlireoError {
        FlireoError.invalidParameter(parameter, "expected one of \(allowed.joined(separator: ", ")), got \(FlireoError.quote(shown))")
    }

    /// Returns `value` when it lies in `range`.
    /// - Parameters:
    ///   - value: the candidate.
    ///   - range: the accepted values.
    ///   - parameter: the parameter's name, for the message.
    /// - Returns: the value unchanged.
    /// - Throws: ``FlireoError`` `invalid_parameters` naming the parameter and the range.
    @discardableResult
    public static func requireRange(_ value: Int, _ range: ClosedRange<Int>, parameter: String) throws -> Int {
        guard range.contains(value) else {
            throw FlireoError.invalidParameter(
                parameter, "expected a number from \(range.lowerBound) to \(range.upperBound), got \(value)"
            )
        }
        return value
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
