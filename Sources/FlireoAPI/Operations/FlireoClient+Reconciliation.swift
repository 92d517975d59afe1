extension FlireoClient {
    /// Reads an assistant's link back after a link or unlink whose outcome is unknown.
    /// Only reads: the mutation itself is never sent again.
    /// - Returns: the state now.
    /// - Throws: `original` when the state cannot be read, or `cancelled` when the task was cancelled.
    func readBack(assistantID: String, after original: FlireoError, endpoint: Endpoint) async throws -> AssistantPhoneNumber {
        traceReconcile(endpoint, "outcome unknown after \(original.code); reading the assistant's number back")
        do {
            return try await phoneNumber(assistantID: assistantID)
        } catch let readError as FlireoError {
            if readError.code == .cancelled || Task.isCancelled {
                throw redactor.scrub(
                    FlireoError.cancelled(mayHaveBeenApplied: true)
                        .attached(method: endpoint.method.rawValue, path: endpoint.pathWithoutQuery)
                )
            }
            traceReconcile(endpoint, "could not read back (\(readError.code)); reporting the original error")
            throw unknownOutcome(original, readError)
        }
    }

    /// `original` when reading back failed too: the outcome stays unknown, and the error
    /// says so (`details.reconciled = "unknown"`).
    func unknownOutcome(_ original: FlireoError, _ readError: FlireoError) -> FlireoError {
        var error = original
        error.outcomeUnknown = true
        if error.message.firstRange(of: "may have applied") == nil {
            error.message += "; the server may have applied the request"
        }
        error.message += " (reading it back failed: \(readError.code))"
        return error.reconciled("unknown")
    }

    /// `original` once reading back proved the mutation was not applied: no longer of
    /// unknown outcome (safe to send again), and saying so, with `details.reconciled =
    /// "not_applied"` for programs.
    func notApplied(_ original: FlireoError, _ endpoint: Endpoint, _ note: String) -> FlireoError {
        traceReconcile(endpoint, note + "; reporting the original error")
        var error = original
        error.outcomeUnknown = false
        if let cut = error.message.firstRange(of: "; the server may have applied the request") {
            error.message.removeSubrange(cut)
        }
        error.message += "; reading it back showed it was not applied"
        return error.reconciled("not_applied")
    }

    func traceReconcile(_ endpoint: Endpoint, _ note: String) {
        trace(TraceEvent(kind: .reconcile, method: endpoint.method.rawValue, target: endpoint.target, attempt: 1, note: note))
    }
}

extension FlireoError {
    /// The same error with `details.reconciled` set: what reading the link back found
    /// (`not_applied`, or `unknown` when it could not be read).
    fileprivate func reconciled(_ finding: String) -> FlireoError {
        var copy = self
        var fields = JSONObject()
        if case .object(let object)? = details { fields = object }
        fields["reconciled"] = .string(finding)
        copy.details = .object(fields)
        return copy
    }
}
