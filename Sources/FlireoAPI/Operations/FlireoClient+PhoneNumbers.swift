extension FlireoClient {
    /// One page of the account's numbers (`GET /v1/phone-numbers`), with the shared default numbers.
    /// - Parameters:
    ///   - includeDefault: sent as `include_default=true|false`; `nil` leaves the server's default.
    ///   - limit: items per page, 1–100.
    ///   - offset: items to skip, from 0.
    /// - Returns: the page's numbers, `shared_numbers` and `meta`.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, or request errors.
    public func phoneNumbersPage(includeDefault: Bool? = nil, limit: Int = 50, offset: Int = 0) async throws -> PhoneNumberPage {
        var query = try pageQuery(limit: limit, offset: offset, maximum: 100)
        if let includeDefault { query.insert((name: "include_default", value: includeDefault ? "true" : "false"), at: 0) }
        return try await perform(Endpoint(.GET, "/v1/phone-numbers", query: query)) { body in
            let page = try Envelope.page(AccountPhoneNumber.self, in: body)
            let shared = try Envelope.optionalMember("shared_numbers", as: [PhoneNumber].self, in: body) ?? []
            return PhoneNumberPage(items: page.items, sharedNumbers: shared, meta: page.meta, raw: body)
        }
    }

    /// All of the account's numbers, fetched lazily page by page (see ``FlireoPages``).
    /// With `includeDefault: true` the shared default numbers are among them: a server that
    /// lists them only in `shared_numbers` (as the contract's example does) has them after
    /// its last page, with `origin` `default` and no `linkedAssistant` (the list does not say).
    /// - Parameters:
    ///   - includeDefault: sent as `include_default=true|false`; `nil` leaves the server's default.
    ///   - pageSize: items per request, 1–100.
    /// - Returns: the lazy list; iterating it throws what ``phoneNumbersPage(includeDefault:limit:offset:)`` throws.
    public func phoneNumbers(includeDefault: Bool? = nil, pageSize: Int = 50) -> FlireoPages<AccountPhoneNumber> {
        FlireoPages(pageSize: pageSize, path: "/v1/phone-numbers", identify: { $0.id }) { offset, limit in
            let page = try await self.phoneNumbersPage(includeDefault: includeDefault, limit: limit, offset: offset)
            let besides = includeDefault == true ? page.sharedNumbers.map(AccountPhoneNumber.init(shared:)) : []
            return Page(items: page.items, meta: page.meta, raw: page.raw, besides: besides)
        }
    }

    /// Numbers that can be ordered (`GET /v1/phone-numbers/available`). Local numbers are
    /// only searchable through an approved verification group
    /// (``availablePhoneNumbers(verificationGroupID:query:limit:)``).
    /// - Parameters:
    ///   - type: `national` or `mobile`; `nil` leaves the server's default.
    ///   - query: a pattern the numbers should match.
    ///   - limit: at most this many results, 1–50.
    /// - Returns: the numbers and the search's meta.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, or request errors.
    public func availablePhoneNumbers(type: String? = nil, query: String? = nil, limit: Int? = nil) async throws
        -> AvailablePhoneNumbers
    {
        var parameters: [(name: String, value: String)] = []
        if let type { parameters.append((name: "number_type", value: try checkedChoice(type, ["national", "mobile"], "type"))) }
        if let query { parameters.append((name: "query", value: query)) }
        if let limit { parameters.append((name: "limit", value: String(try checkedRange(limit, 1...50, "limit")))) }
        return try await perform(Endpoint(.GET, "/v1/phone-numbers/available", query: parameters), Self.decodeAvailable)
    }

    /// Orders a number (`POST /v1/phone-numbers`; costs 10 credits). Ordering completes
    /// asynchronously: poll ``phoneNumberOrder(id:)``. The POST is never re-sent; when its
    /// outcome is unknown the error has ``FlireoError/outcomeUnknown`` set, so check the
    /// orders before ordering again.
    /// - Parameters:
    ///   - number: the E.164 number to order.
    ///   - type: `national` (the server's default), `mobile` or `local`.
    ///   - verificationGroupID: the approved verification group; required for `local`.
    /// - Returns: the order to poll.
    /// - Throws: ``FlireoError``: `invalid_parameters` before any request, `insufficient_credits`, or request errors.
    public func orderPhoneNumber(_ number: String, type: String? = nil, verificationGroupID: String? = nil) async throws
        -> PhoneNumberOrderPlacement
    {
        var body = JSONObject()
        body["phone_number"] = .string(try checkedE164(number, "number"))
        if let type { body["number_type"] = .string(try checkedChoice(type, ["national", "mobile", "local"], "type")) }
        if let verificationGroupID {
            body["verification_group_id"] = .string(try checkedUUID(verificationGroupID, "verificationGroupID"))
        } else if type == "local" {
            throw FlireoError.invalidParameter("verificationGroupID", "required to order a local number")
        }
        return try await perform(Endpoint(.POST, "/v1/phone-numbers", body: .object(body)), Self.decodePlacement)
    }

    /// Decodes a search for numbers to order.
    static func decodeAvailable(_ body: JSONValue) throws -> AvailablePhoneNumbers {
        let numbers = try Envelope.data([AvailablePhoneNumber].self, in: body)
        let meta = try Envelope.optionalMember("meta", as: AvailableSearchMeta.self, in: body)
        return AvailablePhoneNumbers(
            numbers: numbers,
            totalResults: meta?.totalResults,
            numberType: meta?.numberType,
            requiresVerification: meta?.requiresVerification,
            raw: body
        )
    }

    /// Decodes the answer to an order.
    static func decodePlacement(_ body: JSONValue) throws -> PhoneNumberOrderPlacement {
        var placement = try Envelope.data(PhoneNumberOrderPlacement.self, in: body)
        placement.message = Envelope.message(in: body)
        return placement
    }

    /// `limit` and `offset` query items, validated.
    func pageQuery(limit: Int, offset: Int, maximum: Int) throws -> [(name: String, value: String)] {
        let limit = try checkedRange(limit, 1...maximum, "limit")
        guard offset >= 0 else { throw FlireoError.invalidParameter("offset", "expected 0 or more, got \(offset)") }
        return [(name: "limit", value: String(limit)), (name: "offset", value: String(offset))]
    }

    /// One page of a plain list (`data` and `meta`): the filters, then validated `limit` and `offset`.
    func fetchPage<Item: Decodable & Sendable>(
        _ type: Item.Type,
        path: String,
        filters: [(name: String, value: String)] = [],
        limit: Int,
        offset: Int
    ) async throws -> Page<Item> {
        let query = filters + (try pageQuery(limit: limit, offset: offset, maximum: 100))
        return try await perform(Endpoint(.GET, path, query: query)) { try Envelope.page(type, in: $0) }
    }
}

/// The `meta` of a search for numbers to order.
private struct AvailableSearchMeta: Decodable {
    let totalResults: Int?
    let numberType: String?
    let requiresVerification: Bool?

    enum CodingKeys: String, CodingKey {
        case totalResults = "total_results"
        case numberType = "number_type"
        case requiresVerification = "requires_verification"
    }
}
