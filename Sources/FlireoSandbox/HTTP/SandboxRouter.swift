import Hummingbird

/// Assembles the router: stats and the error envelope around everything, authentication,
/// the refusal of a body on GET and DELETE, rate limiting and faults around `/v1`, one
/// controller per resource.
enum SandboxRouter {
    /// Builds the router.
    /// - Parameters:
    ///   - control: The store and run-time knobs.
    ///   - logRequests: Whether to log each request.
    /// - Returns: The router.
    static func make(_ control: SandboxControl, logRequests: Bool) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: StatsMiddleware(recorder: control.recorder))
        if logRequests {
            router.add(middleware: LogRequestsMiddleware(.info))
        }
        router.add(middleware: ErrorEnvelopeMiddleware())
        let store: any SandboxStore = control.store
        let routes = RouteTable(router: router, apiMiddlewares: [
            AuthenticationMiddleware(store: store),
            BodilessMethodMiddleware(),
            RateLimitMiddleware(limiter: control.limiter, recorder: control.recorder),
            FaultMiddleware(injector: control.injector, recorder: control.recorder),
            PageSizeMiddleware(injector: control.injector),
        ])
        LinkingController(store: store).addRoutes(to: routes)
        AssistantsController(store: store).addRoutes(to: routes)
        PhoneNumbersController(store: store, sharedNumbersApart: { control.injector.faults.sharedNumbersApart }).addRoutes(to: routes)
        OrdersController(store: store).addRoutes(to: routes)
        VerificationGroupsController(store: store).addRoutes(to: routes)
        ControlController(store: store, control: control).addRoutes(to: routes)
        routes.finish()
        return router
    }
}
