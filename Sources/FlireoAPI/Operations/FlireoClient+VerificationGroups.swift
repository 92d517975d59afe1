extension FlireoClient {
    /// Creates a verification group (`POST /v1/verification-groups`). Never re-sent; an
    /// unknown outcome has ``FlireoError/outcomeUnknown`` set, so list the groups before
    /// creating it again.
    /// - Parameter draft: the group's details; blank required fields are rejected locally.
    /// - Returns: the new group's id.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, or request errors.
    public func createVerificationGroup(_ draft: VerificationGroupDraft) async throws -> VerificationGroupCreation {
        _ = try checkedChoice(draft.phoneNumberType, Self.numberTypes, "phone_number_type")
        return try await perform(Endpoint(.POST, "/v1/verification-groups", body: try draft.requestBody())) { body in
            var creation = try Envelope.data(VerificationGroupCreation.self, in: body)
            creation.message = Envelope.message(in: body)
            return creation
        }
    }

    /// One page of verification groups (`GET /v1/verification-groups`).
    /// - Parameters:
    ///   - filter: status and number type filters.
    ///   - limit: items per page, 1–100.
    ///   - offset: items to skip, from 0.
    /// - Returns: the page.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, or request errors.
    public func verificationGroupsPage(filter: VerificationGroupFilter = .init(), limit: Int = 20, offset: Int = 0) async throws
        -> Page<VerificationGroup>
    {
        var query: [(name: String, value: String)] = []
        if let status = filter.status {
            let statuses = ["pending", "approved", "rejected", "deleted"]
            query.append((name: "status", value: try checkedChoice(status, statuses, "status")))
        }
        if let type = filter.phoneNumberType {
            query.append((name: "phone_number_type", value: try checkedChoice(type, Self.numberTypes, "phoneNumberType")))
        }
        return try await fetchPage(VerificationGroup.self, path: "/v1/verification-groups", filters: query, limit: limit, offset: offset)
    }

    /// All verification groups matching `filter`, fetched lazily page by page.
    /// - Parameters:
    ///   - filter: status and number type filters.
    ///   - pageSize: items per request, 1–100.
    /// - Returns: the lazy list.
    public func verificationGroups(filter: VerificationGroupFilter = .init(), pageSize: Int = 20) -> FlireoPages<VerificationGroup> {
        FlireoPages(pageSize: pageSize, path: "/v1/verification-groups") { offset, limit in
            try await self.verificationGroupsPage(filter: filter, limit: limit, offset: offset)
        }
    }

    /// One verification group with its documents and numbers (`GET /v1/verification-groups/{id}`).
    /// - Parameter id: the group's id (UUID).
    /// - Returns: the group.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `not_found`, or request errors.
    public func verificationGroup(id: String) async throws -> VerificationGroup {
        let groupID = try checkedUUID(id, "id")
        return try await perform(Endpoint(.GET, "/v1/verification-groups/\(groupID)")) {
            try Envelope.data(VerificationGroup.self, in: $0)
        }
    }

    /// Local numbers that can be ordered through an approved group
    /// (`GET /v1/verification-groups/{id}/available-phone-numbers`).
    /// - Parameters:
    ///   - verificationGroupID: the group's id (UUID).
    ///   - query: a pattern the numbers should match.
    ///   - limit: at most this many results, 1–50.
    /// - Returns: the numbers and the search's meta.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `invalid_status`, `not_found`, or request errors.
    public func availablePhoneNumbers(verificationGroupID: String, query: String? = nil, limit: Int? = nil) async throws
        -> AvailablePhoneNumbers
    {
        let groupID = try checkedUUID(verificationGroupID, "verificationGroupID")
        var parameters: [(name: String, value: String)] = []
        if let query { parameters.append((name: "query", value: query)) }
        if let limit { parameters.append((name: "limit", value: String(try checkedRange(limit, 1...50, "limit")))) }
        let endpoint = Endpoint(.GET, "/v1/verification-groups/\(groupID)/available-phone-numbers", query: parameters)
        return try await perform(endpoint, Self.decodeAvailable)
    }

    /// Orders a local number through an approved group
    /// (`POST /v1/verification-groups/{id}/order-number`). Never re-sent; an unknown outcome
    /// has ``FlireoError/outcomeUnknown`` set.
    /// - Parameters:
    ///   - number: the E.164 number to order.
    ///   - verificationGroupID: the group's id (UUID).
    /// - Returns: the order to poll.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `invalid_status`
    ///   (group not approved), `insufficient_credits`, `not_found`, or request errors.
    public func orderPhoneNumber(_ number: String, throughVerificationGroup verificationGroupID: String) async throws
        -> PhoneNumberOrderPlacement
    {
        let groupID = try checkedUUID(verificationGroupID, "verificationGroupID")
        let body: JSONValue = .object(["phone_number": .string(try checkedE164(number, "number"))])
        let endpoint = Endpoint(.POST, "/v1/verification-groups/\(groupID)/order-number", body: body)
        return try await perform(endpoint, Self.decodePlacement)
    }
}
