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
        try await run(operations.phoneNumber(assistantID: assistantID))
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
        try await run(operations.link(assistantID: assistantID, phoneNumberID: phoneNumberID))
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
        try await run(operations.unlink(assistantID: assistantID))
    }
}

extension FlireoOperations {
    /// ``FlireoClient/phoneNumber(assistantID:)`` as an operation.
    /// - Parameter assistantID: the assistant's id (UUID).
    /// - Returns: the operation.
    /// - Throws: ``FlireoError`` `invalid_parameters` for a malformed id.
    public func phoneNumber(assistantID: String) throws -> FlireoOperation<AssistantPhoneNumber> {
        let id = try client.checkedUUID(assistantID, "assistantID")
        return FlireoOperation(Endpoint(.GET, FlireoClient.phoneNumberLinkPath(id))) {
            let state = try Envelope.data(AssistantPhoneNumber.self, in: $0)
            try FlireoClient.expectSame(state.assistantID, id, "data.assistant_id", "assistant")
            return state
        }
    }

    /// ``FlireoClient/link(assistantID:phoneNumberID:)`` as an operation, reconciliation included.
    /// - Parameters:
    ///   - assistantID: the assistant's id (UUID).
    ///   - phoneNumberID: the number's id (UUID).
    /// - Returns: the operation.
    /// - Throws: ``FlireoError`` `invalid_parameters` for a malformed id.
    public func link(assistantID: String, phoneNumberID: String) throws -> FlireoOperation<LinkResult> {
        let id = try client.checkedUUID(assistantID, "assistantID")
        let numberID = try client.checkedUUID(phoneNumberID, "phoneNumberID")
        let endpoint = Endpoint(.POST, FlireoClient.phoneNumberLinkPath(id), body: .object(["phone_number_id": .string(numberID)]))
        return FlireoOperation(endpoint, settle: { client, error in
            let state = try await client.readBack(assistantID: id, after: error, endpoint: endpoint)
            guard let linked = state.phoneNumber, linked.id.lowercased() == numberID.lowercased() else {
                throw client.notApplied(error, endpoint, "the number is not linked")
            }
            client.traceReconcile(endpoint, "the number is linked: the link succeeded")
            return LinkResult(
                assistantID: state.assistantID,
                phoneNumber: linked,
                previousPhoneNumberID: nil,
                releasedAssistants: nil,
                message: nil,
                reconciled: true,
                raw: state.raw
            )
        }) { body in
            var result = try Envelope.data(LinkResult.self, in: body)
            // An answer about another assistant or number is no answer to this request (and a
            // link's unreadable answer is read back).
            try FlireoClient.expectSame(result.assistantID, id, "data.assistant_id", "assistant")
            try FlireoClient.expectSame(result.phoneNumber.id, numberID, "data.phone_number.id", "number")
            result.message = Envelope.message(in: body)
            return result
        }
    }

    /// ``FlireoClient/unlink(assistantID:)`` as an operation, reconciliation included.
    /// - Parameter assistantID: the assistant's id (UUID).
    /// - Returns: the operation.
    /// - Throws: ``FlireoError`` `invalid_parameters` for a malformed id.
    public func unlink(assistantID: String) throws -> FlireoOperation<UnlinkResult> {
        let id = try client.checkedUUID(assistantID, "assistantID")
        let endpoint = Endpoint(.DELETE, FlireoClient.phoneNumberLinkPath(id))
        return FlireoOperation(endpoint, settle: { client, error in
            let state = try await client.readBack(assistantID: id, after: error, endpoint: endpoint)
            guard state.phoneNumber == nil else {
                throw client.notApplied(error, endpoint, "a number is still linked")
            }
            client.traceReconcile(endpoint, "nothing is linked: the unlink succeeded")
            return UnlinkResult(assistantID: state.assistantID, unlinkedPhoneNumber: nil, reconciled: true, raw: state.raw)
        }) { body in
            var result = try Envelope.data(UnlinkResult.self, in: body)
            try FlireoClient.expectSame(result.assistantID, id, "data.assistant_id", "assistant")
            result.message = Envelope.message(in: body)
            return result
        }
    }
}

extension FlireoClient {
    /// Throws `invalid_response` when an answer names another id than the one asked about.
    /// - Parameters:
    ///   - answered: the id in the response.
    ///   - asked: the id of the request.
    ///   - field: where the response holds it, for the message.
    ///   - what: what it identifies (`assistant`, `number`).
    static func expectSame(_ answered: String, _ asked: String, _ field: String, _ what: String) throws {
        guard answered.lowercased() != asked.lowercased() else { return }
        throw FlireoError.invalidResponse(
            "\(field) is \(TerminalText.printable(answered, limit: 64)): the server answered about another \(what) than \(asked)"
        )
    }
}
