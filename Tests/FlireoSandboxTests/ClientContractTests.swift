import FlireoAPI
import FlireoSandbox
import Testing

/// The sandbox through the project's own HTTP client: every typed operation of FlireoAPI
/// decodes what the sandbox serves, and the rules hold end to end.
@Suite("The sandbox through FlireoAPI's client")
struct ClientContractTests {
    private func start(_ options: SandboxOptions = SandboxOptions()) async throws -> (Sandbox, FlireoClient, SandboxLandmarks) {
        let sandbox = try await Sandbox.start(options)
        let key = try #require(sandbox.apiKeys.first)
        let client = try FlireoClient(configuration: FlireoConfiguration(baseURL: sandbox.baseURL, apiKey: APIKey(key), rateLimit: nil))
        let landmarks = try #require(sandbox.landmarks(forKey: key))
        return (sandbox, client, landmarks)
    }

    @Test("link, unlink and the link read back, with every rule of the seed page")
    func linking() async throws {
        let (sandbox, client, fx) = try await start()
        defer { Task { await sandbox.stop() } }
        let free = try #require(fx.assistantWithoutNumber)
        let holder = try #require(fx.assistantWithCustomNumber)
        let custom = try #require(fx.linkedCustomNumber)
        let freeNumber = try #require(fx.freeCustomNumber)

        #expect(try await client.phoneNumber(assistantID: free).phoneNumber == nil)
        let held = try await client.phoneNumber(assistantID: holder)
        #expect(held.phoneNumber?.id == custom)
        #expect(held.phoneNumber?.origin == "custom")

        let linked = try await client.link(assistantID: free, phoneNumberID: freeNumber)
        #expect(linked.phoneNumber.id == freeNumber)
        #expect(linked.previousPhoneNumberID == nil)
        #expect(linked.releasedAssistants == 0)
        #expect(linked.reconciled == false)

        let replaced = try await client.link(assistantID: free, phoneNumberID: fx.defaultNumbers[0])
        #expect(replaced.previousPhoneNumberID == freeNumber)
        #expect(replaced.releasedAssistants == fx.assistantsOnDefaultNumber.count)
        for released in fx.assistantsOnDefaultNumber {
            #expect(try await client.phoneNumber(assistantID: released).phoneNumber == nil)
        }

        await #expect(throws: FlireoError.self) { try await client.link(assistantID: free, phoneNumberID: fx.defaultNumbers[0]) }
        let inUse = await error { try await client.link(assistantID: free, phoneNumberID: custom) }
        #expect(inUse?.code == .alreadyInUse)
        #expect(inUse?.status == 400)
        let forbidden = await error { try await client.link(assistantID: free, phoneNumberID: fx.foreignNumber ?? "") }
        #expect(forbidden?.code == .forbidden)

        let unlinked = try await client.unlink(assistantID: free)
        #expect(unlinked.unlinkedPhoneNumber?.id == fx.defaultNumbers[0])
        let nothing = await error { try await client.unlink(assistantID: free) }
        #expect(nothing?.code == .noPhoneNumber)
    }

    @Test("lists page to the end; every model decodes")
    func lists() async throws {
        let (sandbox, client, fx) = try await start(SandboxOptions(assistants: 33, numbers: 47))
        defer { Task { await sandbox.stop() } }
        let assistants = try await client.assistants(pageSize: 5).collect()
        #expect(assistants.count == 33)
        #expect(Set(assistants.map(\.id)).count == 33)
        let numbers = try await client.phoneNumbers(includeDefault: false, pageSize: 10).collect()
        #expect(numbers.count == 47)
        let page = try await client.phoneNumbersPage(includeDefault: true, limit: 100)
        #expect(page.sharedNumbers.map(\.id).sorted() == fx.defaultNumbers.sorted())
        #expect(page.items.count == 47 + fx.defaultNumbers.count)
        let available = try await client.availablePhoneNumbers(type: "national", limit: 3)
        #expect(!available.numbers.isEmpty)
        let orders = try await client.phoneNumberOrders().collect()
        #expect(orders.count >= 2)
        let groups = try await client.verificationGroups().collect()
        #expect(groups.count >= 3)
        let approved = try await client.verificationGroup(id: fx.approvedGroup ?? "")
        #expect(approved.status == "approved")
        #expect(try await client.assistant(id: assistants[0].id).id == assistants[0].id)
    }

    @Test("an order placed through the client completes, charging 10 credits")
    func order() async throws {
        let (sandbox, client, _) = try await start(SandboxOptions(orderCompletionSeconds: 0.2))
        defer { Task { await sandbox.stop() } }
        let number = try #require(try await client.availablePhoneNumbers(type: "national", limit: 1).numbers.first)
        let placed = try await client.orderPhoneNumber(number.number)
        #expect(placed.status == "pending")
        #expect(placed.creditsUsed == 10)
        var order = try await client.phoneNumberOrder(id: placed.orderID)
        let deadline = ContinuousClock.now + .seconds(20)
        while order.status == "pending", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            order = try await client.phoneNumberOrder(id: placed.orderID)
        }
        #expect(order.status == "success")
    }

    private func error<T>(_ body: () async throws -> T) async -> FlireoError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? FlireoError
        }
    }
}
