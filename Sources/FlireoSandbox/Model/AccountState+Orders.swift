/// Orders and verification groups: asynchronous completion, credits, approval.
extension AccountState {
    /// What every order costs.
    static let orderCost = 10

    /// Completes due orders and approves due groups (lazily, on the next access), so
    /// "pending, then success after a short delay" needs no timers and survives a restart.
    /// - Parameter now: The current time in seconds since the epoch.
    mutating func settle(now: Double) {
        for id in orderOrder {
            guard let order = orders[id], order.status == .pending, order.completesAt <= now else { continue }
            if PhoneNumberOrder.willFail(order.phoneNumber) {
                orders[id]?.status = .failed
                credits += order.creditsUsed
            } else {
                orders[id]?.status = .success
                insert(PhoneNumberRecord(
                    id: order.phoneNumberID, number: order.phoneNumber, type: order.numberType,
                    locality: order.locality, origin: .custom, createdAt: order.completesAt
                ))
            }
        }
        for id in groupOrder {
            guard let group = groups[id], group.status == .pending, let due = group.approvesAt, due <= now else { continue }
            groups[id]?.setStatus(.approved)
        }
    }

    /// The group, or 404.
    func group(_ id: SandboxID) throws(APIError) -> VerificationGroup {
        guard let group = groups[id], group.status != .deleted else { throw .notFound("Verification group", id: id.description) }
        return group
    }

    /// The group if it exists and is approved.
    /// - Throws: `not_found` or `invalid_status`.
    func approvedGroup(_ id: SandboxID) throws(APIError) -> VerificationGroup {
        let group = try self.group(id)
        guard group.status == .approved else { throw .groupNotApproved(id, status: group.status.rawValue) }
        return group
    }

    /// Places an order: charges the credits and records it as pending.
    /// - Parameters:
    ///   - number: The E.164 number (already reserved by the caller).
    ///   - type: Its kind.
    ///   - locality: Its locality.
    ///   - groupID: The verification group (local numbers).
    ///   - now: The current time.
    ///   - delay: Seconds until it settles.
    /// - Returns: The order.
    /// - Throws: `insufficient_credits`.
    mutating func placeOrder(
        number: String, type: PhoneNumberType, locality: String?, groupID: SandboxID?, now: Double, delay: Double
    ) throws(APIError) -> PhoneNumberOrder {
        guard credits >= Self.orderCost else {
            throw .insufficientCredits(required: Self.orderCost, available: credits)
        }
        credits -= Self.orderCost
        let id = nextID()
        let numberID = nextID()
        let references = PhoneNumberOrder.externalReferences(order: id, number: numberID)
        let order = PhoneNumberOrder(
            id: id, phoneNumber: number, numberType: type, locality: locality, status: .pending,
            creditsUsed: Self.orderCost, orderedAt: now, completesAt: now + delay,
            verificationGroupID: groupID, phoneNumberID: numberID,
            externalOrderID: references.order, externalSubOrderID: references.subOrder
        )
        insert(order)
        return order
    }
}
