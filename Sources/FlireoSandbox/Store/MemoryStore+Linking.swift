extension MemoryStore {
    func assistantLink(_ account: AccountRef, assistant: SandboxID) throws(APIError) -> AssistantView {
        try self.account(account).with { (state: inout AccountState) throws(APIError) -> AssistantView in
            let record = try state.assistant(assistant)
            return AssistantView(assistant: record, number: record.phoneNumberID.flatMap(state.anyNumber))
        }
    }

    func link(_ account: AccountRef, number: SandboxID, to assistant: SandboxID) throws(APIError) -> AccountState.LinkOutcome {
        let refusal: AccountState.LinkRefusal
        do throws(AccountState.LinkRefusal) {
            return try self.account(account).settled { (state: inout AccountState) throws(AccountState.LinkRefusal) in
                try state.link(number, to: assistant)
            }
        } catch {
            refusal = error
        }
        switch refusal {
        case .rule(let error):
            throw error
        case .numberNotInAccount:
            if ownedElsewhere(number, except: account) {
                throw APIError(
                    "forbidden", .forbidden, "Phone number does not belong to this account",
                    details: [("phone_number_id", .id(number))]
                )
            }
            throw .notFound("Phone number", id: number.description)
        }
    }

    func unlink(_ account: AccountRef, assistant: SandboxID) throws(APIError) -> PhoneNumberRecord {
        try self.account(account).with { (state: inout AccountState) throws(APIError) in
            try state.unlink(assistant)
        }
    }

    func links(_ account: AccountRef) -> [SandboxLink] {
        self.account(account).with { state in
            state.assistantOrder.compactMap { id -> SandboxLink? in
                guard let numberID = state.assistants[id]?.phoneNumberID, let number = state.anyNumber(numberID) else { return nil }
                return SandboxLink(
                    assistantID: id.description, phoneNumberID: numberID.description,
                    number: number.number, origin: number.origin.rawValue
                )
            }
        }
    }

    func landmarks(_ account: AccountRef) -> SandboxLandmarks {
        let foreign = accounts.indices.lazy.filter { $0 != account.index }.map { self.accounts[$0] }.first
        let foreignIDs = foreign?.with { ($0.numberOrder.first, $0.assistantOrder.first) }
        return self.account(account).settled { state in
            let ordered = state.assistantOrder.compactMap { state.assistants[$0] }
            let withCustom = ordered.first { $0.phoneNumberID.map { state.numbers[$0] != nil } ?? false }
            func group(_ status: VerificationGroup.Status) -> String? {
                state.groupOrder.first { state.groups[$0]?.status == status }?.description
            }
            return SandboxLandmarks(
                assistantWithCustomNumber: withCustom?.id.description,
                linkedCustomNumber: withCustom?.phoneNumberID?.description,
                assistantWithoutNumber: ordered.first { $0.phoneNumberID == nil }?.id.description,
                assistantsOnDefaultNumber: ordered.filter { state.onDefault.contains($0.id) }.map(\.id.description),
                defaultNumbers: state.defaults.map(\.id.description),
                freeCustomNumber: state.numberOrder.first { state.linkedAssistant[$0] == nil }?.description,
                foreignNumber: foreignIDs?.0?.description,
                foreignAssistant: foreignIDs?.1?.description,
                approvedGroup: group(.approved), pendingGroup: group(.pending), rejectedGroup: group(.rejected),
                credits: state.credits
            )
        }
    }
}
