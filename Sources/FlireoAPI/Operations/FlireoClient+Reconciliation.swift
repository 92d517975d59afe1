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
            throw original
        }
    }

    func traceReconcile(_ endpoint: Endpoint, _ note: String) {
        trace(TraceEvent(kind: .reconcile, method: endpoint.method.rawValue, target: endpoint.target, attempt: 1, note: note))
    }
}
