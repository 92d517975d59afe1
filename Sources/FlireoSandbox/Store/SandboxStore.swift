/// The sandbox's data and rules, behind which any storage can sit. Controllers call only
/// this; every method applies the API's rules and throws the documented errors.
protocol SandboxStore: Sendable {
    /// The account this API key opens, or nil (401).
    func authenticate(apiKey: Substring) -> AccountRef?

    // MARK: Linking (the seed page)

    /// The assistant and its linked number.
    func assistantLink(_ account: AccountRef, assistant: SandboxID) throws(APIError) -> AssistantView
    /// Links a number to an assistant, with the seed page's rules.
    func link(_ account: AccountRef, number: SandboxID, to assistant: SandboxID) throws(APIError) -> AccountState.LinkOutcome
    /// Unlinks the assistant's number and returns it.
    func unlink(_ account: AccountRef, assistant: SandboxID) throws(APIError) -> PhoneNumberRecord

    // MARK: Assistants

    func assistants(_ account: AccountRef, page: PageRequest) -> Page<AssistantView>
    func assistant(_ account: AccountRef, id: SandboxID) throws(APIError) -> AssistantView
    func createAssistant(_ account: AccountRef, name: String) -> AssistantView
    func renameAssistant(_ account: AccountRef, id: SandboxID, name: String) throws(APIError) -> AssistantView
    /// Deletes an assistant (its number becomes available) and returns it as it was.
    func deleteAssistant(_ account: AccountRef, id: SandboxID) throws(APIError) -> AssistantRecord

    // MARK: Phone numbers and orders

    func phoneNumbers(_ account: AccountRef, includeDefault: Bool, page: PageRequest) -> PhoneNumberListing
    func availableNumbers(type: PhoneNumberType, query: String?, limit: Int) -> AvailableListing
    func groupAvailableNumbers(_ account: AccountRef, group: SandboxID, query: String?, limit: Int) throws(APIError) -> AvailableListing
    func orderNumber(_ account: AccountRef, _ request: OrderRequest) throws(APIError) -> OrderReceipt
    func orders(_ account: AccountRef, filter: OrderFilter, page: PageRequest) -> Page<OrderView>
    func order(_ account: AccountRef, id: SandboxID) throws(APIError) -> OrderView

    // MARK: Verification groups

    func createGroup(_ account: AccountRef, _ draft: GroupDraft) -> VerificationGroup
    func groups(_ account: AccountRef, filter: GroupFilter, page: PageRequest) -> Page<VerificationGroup>
    func group(_ account: AccountRef, id: SandboxID) throws(APIError) -> GroupDetail

    // MARK: Control (outside /v1)

    func setGroupStatus(_ account: AccountRef, id: SandboxID, status: VerificationGroup.Status) throws(APIError) -> VerificationGroup
    func setCredits(_ account: AccountRef, _ credits: Int)
    func links(_ account: AccountRef) -> [SandboxLink]
    func landmarks(_ account: AccountRef) -> SandboxLandmarks
    /// Regenerates every account from the fixture spec (keys unchanged).
    func reset()
    /// The whole state, consistent per account.
    func snapshot() -> SandboxState
}
