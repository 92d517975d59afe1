extension FlireoClient {
    /// `value` when it is a UUID; else `invalid_parameters` that quotes it with the key masked.
    func checkedUUID(_ value: String, _ parameter: String) throws -> String {
        guard FlireoValidation.isUUID(value) else {
            throw FlireoValidation.notUUID(redactor.scrub(value), parameter: parameter)
        }
        return value
    }

    /// `value` when it is E.164; else `invalid_parameters` that quotes it with the key masked.
    func checkedE164(_ value: String, _ parameter: String) throws -> String {
        guard FlireoValidation.isE164(value) else {
            throw FlireoValidation.notE164(redactor.scrub(value), parameter: parameter)
        }
        return value
    }

    /// `value` when it is one of `allowed`; else `invalid_parameters` that quotes it with the key masked.
    func checkedChoice(_ value: String, _ allowed: [String], _ parameter: String) throws -> String {
        guard allowed.contains(value) else {
            throw FlireoValidation.notOneOf(redactor.scrub(value), allowed, parameter: parameter)
        }
        return value
    }

    /// `value` when it lies in `range`.
    func checkedRange(_ value: Int, _ range: ClosedRange<Int>, _ parameter: String) throws -> Int {
        try FlireoValidation.requireRange(value, range, parameter: parameter)
    }
}
