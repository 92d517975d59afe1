import Hummingbird

/// `/v1/phone-numbers`: the account's numbers, the catalog of available numbers, ordering.
struct PhoneNumbersController: Sendable {
    let store: any SandboxStore
    /// Whether the shared default numbers are listed only in `shared_numbers` (see ``SandboxFaults``).
    let sharedNumbersApart: @Sendable () -> Bool

    func addRoutes(to routes: RouteTable) {
        routes.api(.get, "phone-numbers", list)
        routes.api(.post, "phone-numbers", order)
        routes.api(.get, "phone-numbers/available", available)
    }

    @Sendable func list(_ request: Request, context: SandboxContext) async throws -> Response {
        let query = RequestQuery(request)
        let includeDefault = try query.boolean("include_default", default: false)
        let page = try query.page(defaultLimit: 50, maximum: 100)
        // Apart: `data` holds the account's own numbers, and the total counts the shared ones too.
        let apart = includeDefault && sharedNumbersApart()
        let listing = store.phoneNumbers(try context.requireAccount(), includeDefault: includeDefault && !apart, page: page)
        let total = listing.page.total + (apart ? listing.shared.count : 0)
        return JSONResponse.make(.ok, [
            "data": .array(listing.page.items.map(\.json)),
            "shared_numbers": .array(listing.shared.map(\.sharedJSON)),
            "meta": ["total": .int(total), "limit": .int(page.limit), "offset": .int(page.offset)],
        ])
    }

    @Sendable func available(_ request: Request, context: SandboxContext) async throws -> Response {
        let query = RequestQuery(request)
        let type = try query.enumeration("number_type", PhoneNumberType.self) ?? .national
        guard type != .local else {
            throw APIError.invalidParameter(
                "number_type", "local numbers are searched through an approved verification group: GET /v1/verification-groups/{id}/available-phone-numbers"
            )
        }
        let pattern = try Self.searchPattern(query)
        let limit = try query.limit(defaultLimit: 20, maximum: 50)
        return JSONResponse.make(.ok, store.availableNumbers(type: type, query: pattern, limit: limit).json)
    }

    @Sendable func order(_ request: Request, context: SandboxContext) async throws -> Response {
        let body = try await RequestBodyReader.object(request)
        let number = try Self.e164(body.requiredString("phone_number", maxLength: 16))
        let type = try body.optionalEnum("number_type", PhoneNumberType.self) ?? .national
        let groupID = try body.optionalID("verification_group_id")
        if type == .local, groupID == nil {
            throw APIError.invalidParameter("verification_group_id", "is required for local numbers")
        }
        let receipt = try store.orderNumber(try context.requireAccount(), OrderRequest(phoneNumber: number, type: type, groupID: groupID))
        return JSONResponse.mutation("Phone number order created", receipt.json, status: .created)
    }

    /// Checks the E.164 form: `+`, a non-zero digit, 7–15 digits in all.
    /// - Throws: `invalid_parameters`.
    static func e164(_ text: String) throws(APIError) -> String {
        let digits = text.utf8.dropFirst()
        guard text.utf8.first == UInt8(ascii: "+"), (7...15).contains(digits.count),
              digits.first != UInt8(ascii: "0"), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else {
            throw APIError.invalidParameter("phone_number", "must be an E.164 number such as +31201234567")
        }
        return text
    }

    /// The `query` search pattern: digits, with an optional leading `+` and `*` wildcards.
    /// - Throws: `invalid_parameters` for anything else.
    static func searchPattern(_ query: RequestQuery) throws(APIError) -> String? {
        guard let pattern = query.text("query") else { return nil }
        guard pattern.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "*") }) else {
            throw APIError.invalidParameter("query", "must contain only digits, '+' and '*'")
        }
        guard pattern.count <= 16 else { throw APIError.invalidParameter("query", "must be at most 16 characters") }
        return pattern
    }
}
