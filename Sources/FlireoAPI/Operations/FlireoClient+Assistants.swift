extension FlireoClient {
    /// One page of assistants (`GET /v1/assistants`; shape inferred, see ``Assistant``).
    /// - Parameters:
    ///   - limit: items per page, 1–100.
    ///   - offset: items to skip, from 0.
    /// - Returns: the page.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, or request errors.
    public func assistantsPage(limit: Int = 50, offset: Int = 0) async throws -> Page<Assistant> {
        try await fetchPage(Assistant.self, path: "/v1/assistants", limit: limit, offset: offset)
    }

    /// All assistants, fetched lazily page by page.
    /// - Parameter pageSize: items per request, 1–100.
    /// - Returns: the lazy list.
    public func assistants(pageSize: Int = 50) -> FlireoPages<Assistant> {
        FlireoPages(pageSize: pageSize, path: "/v1/assistants") { offset, limit in
            try await self.assistantsPage(limit: limit, offset: offset)
        }
    }

    /// One assistant (`GET /v1/assistants/{id}`; shape inferred, see ``Assistant``).
    /// - Parameter id: the assistant's id (UUID).
    /// - Returns: the assistant.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `not_found`, or request errors.
    public func assistant(id: String) async throws -> Assistant {
        try await run(operations.assistant(id: id))
    }
}

extension FlireoOperations {
    /// ``FlireoClient/assistant(id:)`` as an operation.
    /// - Parameter id: the assistant's id (UUID).
    /// - Returns: the operation.
    /// - Throws: ``FlireoError`` `invalid_parameters` for a malformed id.
    public func assistant(id: String) throws -> FlireoOperation<Assistant> {
        let assistantID = try client.checkedUUID(id, "id")
        return FlireoOperation(Endpoint(.GET, "/v1/assistants/\(assistantID)")) { try Envelope.data(Assistant.self, in: $0) }
    }
}
