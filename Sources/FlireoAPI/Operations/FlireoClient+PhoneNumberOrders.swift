extension FlireoClient {
    static let numberTypes = ["local", "mobile", "national"]

    /// One page of phone number orders (`GET /v1/phone-number-orders`).
    /// - Parameters:
    ///   - filter: status, verification group and number type filters.
    ///   - limit: items per page, 1–100.
    ///   - offset: items to skip, from 0.
    /// - Returns: the page.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, or request errors.
    public func phoneNumberOrdersPage(filter: PhoneNumberOrderFilter = .init(), limit: Int = 20, offset: Int = 0) async throws
        -> Page<PhoneNumberOrder>
    {
        var query: [(name: String, value: String)] = []
        if let status = filter.status {
            query.append((name: "status", value: try checkedChoice(status, ["pending", "success", "failed"], "status")))
        }
        if let group = filter.verificationGroupID {
            query.append((name: "verification_group_id", value: try checkedUUID(group, "verificationGroupID")))
        }
        if let type = filter.type {
            query.append((name: "number_type", value: try checkedChoice(type, Self.numberTypes, "type")))
        }
        return try await fetchPage(PhoneNumberOrder.self, path: "/v1/phone-number-orders", filters: query, limit: limit, offset: offset)
    }

    /// All phone number orders matching `filter`, fetched lazily page by page.
    /// - Parameters:
    ///   - filter: status, verification group and number type filters.
    ///   - pageSize: items per request, 1–100.
    /// - Returns: the lazy list.
    public func phoneNumberOrders(filter: PhoneNumberOrderFilter = .init(), pageSize: Int = 20) -> FlireoPages<PhoneNumberOrder> {
        FlireoPages(pageSize: pageSize, path: "/v1/phone-number-orders") { offset, limit in
            try await self.phoneNumberOrdersPage(filter: filter, limit: limit, offset: offset)
        }
    }

    /// One phone number order with its provider ids (`GET /v1/phone-number-orders/{id}`).
    /// - Parameter id: the order's id (UUID).
    /// - Returns: the order.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `not_found`, or request errors.
    public func phoneNumberOrder(id: String) async throws -> PhoneNumberOrder {
        let orderID = try checkedUUID(id, "id")
        return try await perform(Endpoint(.GET, "/v1/phone-number-orders/\(orderID)")) {
            try Envelope.data(PhoneNumberOrder.self, in: $0)
        }
    }
}
