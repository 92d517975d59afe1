extension MemoryStore {
    func phoneNumbers(_ account: AccountRef, includeDefault: Bool, page: PageRequest) -> PhoneNumberListing {
        self.account(account).settled { state in
            // Own numbers first, then (when asked) the shared defaults, as one paged list.
            let ownCount = state.numberOrder.count
            let total = ownCount + (includeDefault ? state.defaults.count : 0)
            let items = page.range(in: total).compactMap { position -> PhoneNumberListItem? in
                let number = position < ownCount ? state.numbers[state.numberOrder[position]] : state.defaults[position - ownCount]
                guard let number else { return nil }
                let holder = state.holder(of: number).flatMap { state.assistants[$0] }
                let available = number.origin == .default || holder == nil
                return PhoneNumberListItem(number: number, available: available, linkedAssistant: holder)
            }
            return PhoneNumberListing(page: Page(items: items, total: total), shared: state.defaults)
        }
    }

    func availableNumbers(type: PhoneNumberType, query: String?, limit: Int) -> AvailableListing {
        available(catalog.candidates(type), type: type, query: query, limit: limit)
    }

    func groupAvailableNumbers(_ account: AccountRef, group: SandboxID, query: String?, limit: Int) throws(APIError) -> AvailableListing {
        let group = try self.account(account).settled { (state: inout AccountState) throws(APIError) in
            try state.approvedGroup(group)
        }
        return available(catalog.candidates(.local, locality: Locality.named(group.locality)), type: .local, query: query, limit: limit)
    }

    func orderNumber(_ account: AccountRef, _ request: OrderRequest) throws(APIError) -> OrderReceipt {
        let owner = self.account(account)
        var locality: Locality?
        if let groupID = request.groupID, request.type == .local {
            let group = try owner.settled { (state: inout AccountState) throws(APIError) in try state.approvedGroup(groupID) }
            locality = Locality.named(group.locality)
        }
        guard let candidate = catalog.candidates(request.type, locality: locality).first(where: { $0.number == request.phoneNumber }),
              reserve(candidate.number)
        else {
            throw APIError(
                "invalid_parameters", .badRequest, "Phone number \(request.phoneNumber) is not available for ordering",
                details: [("phone_number", .string("is not available; search the available numbers first"))]
            )
        }
        let now = WallClock.now()
        do {
            return try owner.with { (state: inout AccountState) throws(APIError) -> OrderReceipt in
                let order = try state.placeOrder(
                    number: candidate.number, type: candidate.type, locality: candidate.locality,
                    // A group verifies local numbers; on another kind it is not attached.
                    groupID: candidate.type == .local ? request.groupID : nil, now: now, delay: timing.orderCompletion
                )
                return OrderReceipt(order: order, remainingCredits: state.credits)
            }
        } catch {
            release(candidate.number)
            throw error
        }
    }

    func orders(_ account: AccountRef, filter: OrderFilter, page: PageRequest) -> Page<OrderView> {
        self.account(account).settled { state in
            let matching = state.orderOrder.compactMap { state.orders[$0] }.filter { order in
                (filter.status.map { order.status == $0 } ?? true)
                    && (filter.groupID.map { order.verificationGroupID == $0 } ?? true)
                    && (filter.type.map { order.numberType == $0 } ?? true)
            }
            let items = matching[page.range(in: matching.count)].map { order in
                OrderView(order: order, group: order.verificationGroupID.flatMap { state.groups[$0] })
            }
            return Page(items: items, total: matching.count)
        }
    }

    func order(_ account: AccountRef, id: SandboxID) throws(APIError) -> OrderView {
        try self.account(account).settled { (state: inout AccountState) throws(APIError) -> OrderView in
            guard let order = state.orders[id] else { throw .notFound("Phone number order", id: id.description) }
            return OrderView(order: order, group: order.verificationGroupID.flatMap { state.groups[$0] })
        }
    }

    func setCredits(_ account: AccountRef, _ credits: Int) {
        self.account(account).with { $0.credits = credits }
    }

    private func available(_ candidates: [NumberCatalog.Candidate], type: PhoneNumberType, query: String?, limit: Int) -> AvailableListing {
        // `*` separates digit runs that must appear in order; `+` is ignored.
        let runs = (query ?? "").split(separator: "*").map { $0.filter(\.isNumber) }.filter { !$0.isEmpty }
        let matching = candidates.filter { candidate in
            var rest = Substring(candidate.number)
            for run in runs {
                guard let found = rest.firstRange(of: run) else { return false }
                rest = rest[found.upperBound...]
            }
            return !isReserved(candidate.number)
        }
        return AvailableListing(
            items: Array(matching.prefix(limit)), totalResults: matching.count, type: type, requiresVerification: type == .local
        )
    }
}
