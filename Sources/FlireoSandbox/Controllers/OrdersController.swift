import Hummingbird

/// `/v1/phone-number-orders`: orders complete asynchronously; poll them here.
struct OrdersController: Sendable {
    let store: any SandboxStore

    func addRoutes(to routes: RouteTable) {
        routes.api(.get, "phone-number-orders", list)
        routes.api(.get, "phone-number-orders/{id}", show)
    }

    @Sendable func list(_ request: Request, context: SandboxContext) async throws -> Response {
        let query = RequestQuery(request)
        let filter = OrderFilter(
            status: try query.enumeration("status", PhoneNumberOrder.Status.self),
            groupID: try query.id("verification_group_id"),
            type: try query.enumeration("number_type", PhoneNumberType.self)
        )
        let page = try query.page(defaultLimit: 20, maximum: 100)
        let result = store.orders(try context.requireAccount(), filter: filter, page: page)
        return JSONResponse.list(result.items.map(\.json), total: result.total, page: page)
    }

    @Sendable func show(_ request: Request, context: SandboxContext) async throws -> Response {
        JSONResponse.data(try store.order(try context.requireAccount(), id: try context.pathID()).detailJSON)
    }
}
