extension OrderView {
    /// One row of the order list.
    var json: JSON {
        [
            "id": .id(order.id), "phone_number": .string(order.phoneNumber), "status": .string(order.status.rawValue),
            "number_type": .string(order.numberType.rawValue),
            "requirements_met": .bool(order.numberType != .local || group?.status == .approved),
            "ordered_at": .string(WallClock.iso8601(order.orderedAt)),
            "verification_group": group.map { ["id": .id($0.id), "name": .string($0.name), "locality": .string($0.locality)] } ?? .null,
        ]
    }

    /// The order detail: the row plus the provider's references.
    var detailJSON: JSON {
        guard case .object(var members) = json else { return json }
        members["external_order_id"] = .string(order.externalOrderID)
        members["external_sub_order_id"] = .string(order.externalSubOrderID)
        return .object(members)
    }
}

extension OrderReceipt {
    /// The data of `POST /v1/phone-numbers`.
    var json: JSON {
        [
            "order_id": .id(order.id), "phone_number": .string(order.phoneNumber), "number_type": .string(order.numberType.rawValue),
            "status": .string(order.status.rawValue), "credits_used": .int(order.creditsUsed), "remaining_credits": .int(remainingCredits),
        ]
    }
}
