import Hummingbird

/// `/v1/verification-groups`: regulatory bundles (created pending, approved later) that
/// unlock local numbers.
struct VerificationGroupsController: Sendable {
    let store: any SandboxStore

    /// Required string fields of a new group besides `phone_number_type`.
    static let requiredFields = [
        "name", "business_name", "contact_person_first_name", "contact_person_last_name", "contact_person_phone",
        "street_name", "house_number", "postal_code", "city", "province",
    ]

    func addRoutes(to routes: RouteTable) {
        routes.api(.get, "verification-groups", list)
        routes.api(.post, "verification-groups", create)
        routes.api(.get, "verification-groups/{id}", show)
        routes.api(.get, "verification-groups/{id}/available-phone-numbers", available)
        routes.api(.post, "verification-groups/{id}/order-number", order)
    }

    @Sendable func create(_ request: Request, context: SandboxContext) async throws -> Response {
        let body = try await RequestBodyReader.object(request)
        guard let type = try body.optionalEnum("phone_number_type", PhoneNumberType.self) else {
            throw APIError.invalidParameter("phone_number_type", "is required")
        }
        var fields: [String: String] = [:]
        for name in Self.requiredFields {
            fields[name] = try body.requiredString(name)
        }
        let draft = GroupDraft(
            name: fields["name"] ?? "", type: type, businessName: fields["business_name"] ?? "", city: fields["city"] ?? "",
            description: try body.optionalString("description", maxLength: 1000),
            contact: fields.filter { !["name", "business_name"].contains($0.key) }
        )
        let group = store.createGroup(try context.requireAccount(), draft)
        return JSONResponse.mutation("Verification group created", [
            "requirement_group_id": .id(group.id), "name": .string(group.name), "status": .string(group.status.rawValue),
        ], status: .created)
    }

    @Sendable func list(_ request: Request, context: SandboxContext) async throws -> Response {
        let query = RequestQuery(request)
        let filter = GroupFilter(
            status: try query.enumeration("status", VerificationGroup.Status.self),
            type: try query.enumeration("phone_number_type", PhoneNumberType.self)
        )
        let page = try query.page(defaultLimit: 20, maximum: 100)
        let result = store.groups(try context.requireAccount(), filter: filter, page: page)
        return JSONResponse.list(result.items.map(\.json), total: result.total, page: page)
    }

    @Sendable func show(_ request: Request, context: SandboxContext) async throws -> Response {
        JSONResponse.data(try store.group(try context.requireAccount(), id: try context.pathID()).json)
    }

    @Sendable func available(_ request: Request, context: SandboxContext) async throws -> Response {
        let id = try context.pathID()
        let query = RequestQuery(request)
        let pattern = try PhoneNumbersController.searchPattern(query)
        let limit = try query.limit(defaultLimit: 20, maximum: 50)
        let listing = try store.groupAvailableNumbers(try context.requireAccount(), group: id, query: pattern, limit: limit)
        return JSONResponse.make(.ok, listing.json)
    }

    @Sendable func order(_ request: Request, context: SandboxContext) async throws -> Response {
        let id = try context.pathID()
        let body = try await RequestBodyReader.object(request)
        let number = try PhoneNumbersController.e164(body.requiredString("phone_number", maxLength: 16))
        let receipt = try store.orderNumber(try context.requireAccount(), OrderRequest(phoneNumber: number, type: .local, groupID: id))
        return JSONResponse.mutation("Phone number order created", receipt.json, status: .created)
    }
}
