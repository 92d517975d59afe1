import Hummingbird

/// `/v1/assistants` list, get, create, update, delete (shapes inferred: the docs show none).
struct AssistantsController: Sendable {
    let store: any SandboxStore

    func addRoutes(to routes: RouteTable) {
        routes.api(.get, "assistants", list)
        routes.api(.post, "assistants", create)
        routes.api(.get, "assistants/{id}", show)
        routes.api(.patch, "assistants/{id}", update)
        routes.api(.delete, "assistants/{id}", delete)
    }

    @Sendable func list(_ request: Request, context: SandboxContext) async throws -> Response {
        let page = try RequestQuery(request).page(defaultLimit: 50, maximum: 100)
        let result = store.assistants(try context.requireAccount(), page: page)
        return JSONResponse.list(result.items.map(\.json), total: result.total, page: page)
    }

    @Sendable func show(_ request: Request, context: SandboxContext) async throws -> Response {
        JSONResponse.data(try store.assistant(try context.requireAccount(), id: try context.pathID()).json)
    }

    @Sendable func create(_ request: Request, context: SandboxContext) async throws -> Response {
        let name = try await RequestBodyReader.object(request).requiredString("name")
        let view = store.createAssistant(try context.requireAccount(), name: name)
        return JSONResponse.mutation("Assistant created successfully", view.json, status: .created)
    }

    @Sendable func update(_ request: Request, context: SandboxContext) async throws -> Response {
        let id = try context.pathID()
        let name = try await RequestBodyReader.object(request).requiredString("name")
        let view = try store.renameAssistant(try context.requireAccount(), id: id, name: name)
        return JSONResponse.mutation("Assistant updated successfully", view.json)
    }

    @Sendable func delete(_ request: Request, context: SandboxContext) async throws -> Response {
        let record = try store.deleteAssistant(try context.requireAccount(), id: try context.pathID())
        return JSONResponse.mutation("Assistant deleted successfully", ["id": .id(record.id), "name": .string(record.name)])
    }
}
