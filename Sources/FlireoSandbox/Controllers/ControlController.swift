import Hummingbird

/// `/_sandbox/…`: stats, faults, reset and account inspection for tests and rehearsals.
/// Outside `/v1`: never rate limited, never faulted, not counted in the stats. Routes about
/// one account take the same `Authorization: Bearer` key as the API.
struct ControlController: Sendable {
    static let prefix = "/_sandbox"

    let store: any SandboxStore
    let control: SandboxControl

    func addRoutes(to routes: RouteTable) {
        routes.control(.get, "\(Self.prefix)/stats", stats)
        routes.control(.delete, "\(Self.prefix)/stats", resetStats)
        routes.control(.get, "\(Self.prefix)/faults", faults)
        routes.control(.put, "\(Self.prefix)/faults", setFaults)
        routes.control(.post, "\(Self.prefix)/reset", reset)
        routes.control(.post, "\(Self.prefix)/save", save)
        routes.control(.get, "\(Self.prefix)/fixture", fixture)
        routes.control(.get, "\(Self.prefix)/links", links)
        routes.control(.put, "\(Self.prefix)/credits", setCredits)
        routes.control(.put, "\(Self.prefix)/verification-groups/{id}/status", setGroupStatus)
    }

    @Sendable func stats(_ request: Request, context: SandboxContext) async throws -> Response {
        JSONResponse.data(control.recorder.snapshot.json)
    }

    @Sendable func resetStats(_ request: Request, context: SandboxContext) async throws -> Response {
        control.recorder.reset()
        return JSONResponse.mutation("Stats reset", control.recorder.snapshot.json)
    }

    @Sendable func faults(_ request: Request, context: SandboxContext) async throws -> Response {
        JSONResponse.data(control.faults.json)
    }

    /// Changes the fields present in the body; the others keep their values.
    @Sendable func setFaults(_ request: Request, context: SandboxContext) async throws -> Response {
        let body = try await RequestBodyReader.object(request)
        var faults = control.faults
        if let value = try body.optionalNumber("latency_ms", in: 0...600_000) { faults.latencyMilliseconds = Int(value) }
        if let value = try body.optionalNumber("latency_jitter_ms", in: 0...600_000) { faults.latencyJitterMilliseconds = Int(value) }
        if let value = try body.optionalNumber("fail_rate", in: 0...1) { faults.failRate = value }
        if let value = try body.optionalNumber("drop_rate", in: 0...1) { faults.dropRate = value }
        if let value = try body.optionalNumber("rate_limit", in: 0...1_000_000_000) { faults.rateLimit = Int(value) }
        if let value = try body.optionalNumber("max_page_size", in: 0...1_000) { faults.maxPageSize = Int(value) }
        if let value = try body.optionalBool("shared_numbers_apart") { faults.sharedNumbersApart = value }
        do throws(SandboxError) {
            try faults.validate()
        } catch {
            throw APIError.invalidBody(error.message)
        }
        control.setFaults(faults)
        return JSONResponse.mutation("Faults updated", faults.json)
    }

    @Sendable func reset(_ request: Request, context: SandboxContext) async throws -> Response {
        store.reset()
        control.limiter.reset()
        return JSONResponse.mutation("Fixtures regenerated from the seed", ["api_keys": .int(control.apiKeyCount)])
    }

    @Sendable func save(_ request: Request, context: SandboxContext) async throws -> Response {
        guard let path = control.stateFile else {
            throw APIError("invalid_status", .badRequest, "The sandbox runs without --state; nothing to save to")
        }
        do throws(SandboxError) {
            try control.saveState()
        } catch {
            throw APIError.serverError("Could not save the state: \(error.message)")
        }
        return JSONResponse.mutation("State saved", ["path": .string(path)])
    }

    @Sendable func fixture(_ request: Request, context: SandboxContext) async throws -> Response {
        JSONResponse.data(store.landmarks(try account(request)).json)
    }

    @Sendable func links(_ request: Request, context: SandboxContext) async throws -> Response {
        let rows = store.links(try account(request)).map { link -> JSON in
            ["assistant_id": .string(link.assistantID), "phone_number_id": .string(link.phoneNumberID),
             "number": .string(link.number), "origin": .string(link.origin)]
        }
        return JSONResponse.make(.ok, ["data": .array(rows), "meta": ["total": .int(rows.count)]])
    }

    @Sendable func setCredits(_ request: Request, context: SandboxContext) async throws -> Response {
        let account = try account(request)
        let credits = try await RequestBodyReader.object(request).requiredCount("credits")
        store.setCredits(account, credits)
        return JSONResponse.mutation("Credits set", ["credits": .int(credits)])
    }

    @Sendable func setGroupStatus(_ request: Request, context: SandboxContext) async throws -> Response {
        let account = try account(request)
        let id = try context.pathID()
        guard let status = try await RequestBodyReader.object(request).optionalEnum("status", VerificationGroup.Status.self) else {
            throw APIError.invalidParameter("status", "is required")
        }
        let group = try store.setGroupStatus(account, id: id, status: status)
        return JSONResponse.mutation("Verification group status set", group.json)
    }

    private func account(_ request: Request) throws(APIError) -> AccountRef {
        guard let account = AuthenticationMiddleware.account(of: request, in: store) else {
            throw APIError.unauthorized
        }
        return account
    }
}
