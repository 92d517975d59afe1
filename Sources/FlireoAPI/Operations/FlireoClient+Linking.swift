extension FlireoClient {
    static func phoneNumberLinkPath(_ assistantID: String) -> String {
        "/v1/assistants/\(assistantID)/phone-number"
    }

    /// The number linked to an assistant (`GET /v1/assistants/{id}/phone-number`).
    /// - Parameter assistantID: the assistant's id (UUID).
    /// - Returns: the assistant and its number, whose ``AssistantPhoneNumber/phoneNumber`` is `nil` when nothing is linked.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request for a malformed id,
    ///   `not_found`, transport and response errors.
    public func phoneNumber(assistantID: String) async throws -> AssistantPhoneNumber {
        let id = try checkedUUID(assistantID, "assistantID")
        return try await perform(Endpoint(.GET, Self.phoneNumberLinkPath(id))) {
            try Envelope.data(AssistantPhoneNumber.self, in: $0)
        }
    }

    /// Links a number to an assistant (`POST /v1/assistants/{id}/phone-number`). The server
    /// first unlinks the assistant's previous number; linking a shared default number also
    /// unlinks other assistants using a default number.
    ///
    /// The POST is sent once. If its outcome is unknown (timeout, dropped connection or
    /// 5xx after sending), the assistant's number is read back: if it is now the target,
    /// the result is a success with ``LinkResult/reconciled`` set; otherwise the original
    /// error is thrown.
    /// - Parameters:
    ///   - assistantID: the assistant's id (UUID).
    ///   - phoneNumberID: the number's id (UUID), as listed by ``phoneNumbers(includeDefault:pageSize:)``.
    /// - Returns: the link's outcome.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `already_linked`,
    ///   `already_in_use`, `forbidden`, `not_found`, or the unreconciled transport/server error.
    public func link(assistantID: String, phoneNumberID: String) async throws -> LinkResult {
        let id = try checkedUUID(assistantID, "assistantID")
        let numberID = try checkedUUID(phoneNumberID, "phoneNumberID")
        let endpoint = Endpoint(.POST, Self.phoneNumberLinkPath(id), body: .object(["phone_number_id": .string(numberID)]))
        do {
            return try await perform(endpoint) { body in
                var result = try Envelope.data(LinkResult.self, in: body)
                result.message = Envelope.message(in: body)
                return result
            }
        } catch let error as FlireoError where error.outcomeUnknown && error.code != .cancelled {
            let state = try await readBack(assistantID: id, after: error, endpoint: endpoint)
            guard let linked = state.phoneNumber, linked.id.lowercased() == numberID.lowercased() else {
                traceReconcile(endpoint, "the number is not linked; reporting the original error")
                throw error
            }
            traceReconcile(endpoint, "the number is linked: the link succeeded")
            return LinkResult(
                assistantID: state.assistantID,
                phoneNumber: linked,
                previousPhoneNumberID: nil,
                releasedAssistants: nil,
                message: nil,
                reconciled: true,
                raw: state.raw
            )
        }
    }

    /// Unlinks an assistant's number (`DELETE /v1/assistants/{id}/phone-number`); the
    /// number becomes available again.
    ///
    /// The DELETE is sent once. If its outcome is unknown, the assistant is read back: if
    /// nothing is linked, the result is a success with ``UnlinkResult/reconciled`` set;
    /// otherwise the original error is thrown.
    /// - Parameter assistantID: the assistant's id (UUID).
    /// - Returns: the unlink's outcome.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `no_phone_number`,
    ///   `not_found`, or the unreconciled transport/server error.
    public func unlink(assistantID: String) async throws -> UnlinkResult {
        let id = try checkedUUID(assistantID, "assistantID")
        let endpoint = Endpoint(.DELETE, Self.phoneNumberLinkPath(id))
        do {
            return try await perform(endpoint) { body in
                var result = try Envelope.data(UnlinkResult.self, in: body)
                result.message = Envelope.message(in: body)
                return result
            }
        } catch let error as FlireoError where error.outcomeUnknown && error.code != .cancelled {
            let state = try await readBack(assistantID: id, after: error, endpoint: endpoint)
            guard state.phoneNumber == nil else {
                traceReconcile(endpoint, "a number is still linked; reporting the original error")
                throw error
            }
            traceReconcile(endpoint, "nothing is linked: the unlink succeeded")
            return UnlinkResult(assistantID: state.assistantID, unlinkedPhoneNumber: nil, reconciled: true, raw: state.raw)
        }
    }
}
