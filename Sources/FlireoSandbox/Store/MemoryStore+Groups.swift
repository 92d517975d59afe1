extension MemoryStore {
    func createGroup(_ account: AccountRef, _ draft: GroupDraft) -> VerificationGroup {
        let now = WallClock.now()
        return self.account(account).with { state in
            let group = VerificationGroup(
                id: state.nextID(), name: draft.name, phoneNumberType: draft.type, status: .pending,
                locality: draft.city, businessName: draft.businessName, description: draft.description,
                contact: draft.contact, createdAt: now, approvesAt: now + timing.groupApproval,
                documents: [
                    .init(id: state.nextID(), type: "business_registration", status: "pending"),
                    .init(id: state.nextID(), type: "proof_of_address", status: "pending"),
                ]
            )
            state.insert(group)
            return group
        }
    }

    func groups(_ account: AccountRef, filter: GroupFilter, page: PageRequest) -> Page<VerificationGroup> {
        self.account(account).settled { state in
            let matching = state.groupOrder.compactMap { state.groups[$0] }.filter { group in
                // Deleted groups show only when asked for by status.
                (filter.status.map { group.status == $0 } ?? (group.status != .deleted))
                    && (filter.type.map { group.phoneNumberType == $0 } ?? true)
            }
            return Page(items: Array(matching[page.range(in: matching.count)]), total: matching.count)
        }
    }

    func group(_ account: AccountRef, id: SandboxID) throws(APIError) -> GroupDetail {
        try self.account(account).settled { (state: inout AccountState) throws(APIError) -> GroupDetail in
            let group = try state.group(id)
            let orders = state.orderOrder.compactMap { state.orders[$0] }.filter { $0.verificationGroupID == id }
            return GroupDetail(group: group, orders: orders)
        }
    }

    func setGroupStatus(_ account: AccountRef, id: SandboxID, status: VerificationGroup.Status) throws(APIError) -> VerificationGroup {
        try self.account(account).settled { (state: inout AccountState) throws(APIError) -> VerificationGroup in
            guard var group = state.groups[id] else { throw .notFound("Verification group", id: id.description) }
            group.setStatus(status)
            state.groups[id] = group
            return group
        }
    }
}
