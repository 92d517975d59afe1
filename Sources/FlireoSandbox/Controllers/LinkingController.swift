import Hummingbird

/// `GET|POST|DELETE /v1/assistants/{id}/phone-number`: the seed page.
struct LinkingController: Sendable {
    let store: any SandboxStore

    func addRoutes(to routes: RouteTable) {
        routes.api(.get, "assistants/{id}/phone-number", show)
        routes.api(.post, "assistants/{id}/phone-number", link)
        routes.api(.delete, "assistants/{id}/phone-number", unlink)
    }

    @Sendable func show(_ request: Request, context: SandboxContext) async throws -> Response {
        let view = try store.assistantLink(try context.requireAccount(), assistant: try context.pathID())
        return JSONResponse.data([
            "assistant_id": .id(view.assistant.id), "assistant_name": .string(view.assistant.name),
            "phone_number": view.number?.linkedJSON ?? .null,
        ])
    }

    @Sendable func link(_ request: Request, context: SandboxContext) async throws -> Response {
        let assistantID = try context.pathID()
        let body = try await RequestBodyReader.object(request)
        let numberID = try body.requiredID("phone_number_id")
        let outcome = try store.link(try context.requireAccount(), number: numberID, to: assistantID)
        return JSONResponse.mutation("Phone number linked successfully", [
            "assistant_id": .id(outcome.assistantID), "phone_number": outcome.number.linkResultJSON,
            "previous_phone_number_id": .id(outcome.previousNumberID), "released_assistants": .int(outcome.releasedAssistants),
        ])
    }

    @Sendable func unlink(_ request: Request, context: SandboxContext) async throws -> Response {
        let assistantID = try context.pathID()
        let number = try store.unlink(try context.requireAccount(), assistant: assistantID)
        return JSONResponse.mutation("Phone number unlinked successfully", [
            "assistant_id": .id(assistantID), "unlinked_phone_number": number.unlinkedJSON,
        ])
    }
}
