extension MemoryStore {
    func assistants(_ account: AccountRef, page: PageRequest) -> Page<AssistantView> {
        self.account(account).with { state in
            let range = page.range(in: state.assistantOrder.count)
            let items = state.assistantOrder[range].compactMap { id -> AssistantView? in
                guard let record = state.assistants[id] else { return nil }
                return AssistantView(assistant: record, number: record.phoneNumberID.flatMap(state.anyNumber))
            }
            return Page(items: items, total: state.assistantOrder.count)
        }
    }

    func assistant(_ account: AccountRef, id: SandboxID) throws(APIError) -> AssistantView {
        try assistantLink(account, assistant: id)
    }

    func createAssistant(_ account: AccountRef, name: String) -> AssistantView {
        let now = WallClock.now()
        return self.account(account).with { state in
            let record = AssistantRecord(id: state.nextID(), name: name, createdAt: now, phoneNumberID: nil)
            state.insert(record)
            return AssistantView(assistant: record, number: nil)
        }
    }

    func renameAssistant(_ account: AccountRef, id: SandboxID, name: String) throws(APIError) -> AssistantView {
        try self.account(account).with { (state: inout AccountState) throws(APIError) -> AssistantView in
            var record = try state.assistant(id)
            record.name = name
            state.assistants[id] = record
            return AssistantView(assistant: record, number: record.phoneNumberID.flatMap(state.anyNumber))
        }
    }

    func deleteAssistant(_ account: AccountRef, id: SandboxID) throws(APIError) -> AssistantRecord {
        try self.account(account).with { (state: inout AccountState) throws(APIError) -> AssistantRecord in
            let record = try state.assistant(id)
            state.detachNumber(from: id)
            state.assistants[id] = nil
            if let position = state.assistantOrder.firstIndex(of: id) {
                state.assistantOrder.remove(at: position)
            }
            return record
        }
    }
}
