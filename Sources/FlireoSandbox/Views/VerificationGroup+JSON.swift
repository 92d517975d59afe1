extension VerificationGroup {
    /// One row of the group list.
    var json: JSON {
        [
            "id": .id(id), "name": .string(name), "phone_number_type": .string(phoneNumberType.rawValue),
            "status": .string(status.rawValue), "locality": .string(locality), "business_name": .string(businessName),
            "created_at": .string(WallClock.iso8601(createdAt)),
        ]
    }
}

extension GroupDetail {
    /// The group detail: the row plus documents and the numbers ordered through it.
    var json: JSON {
        guard case .object(var members) = group.json else { return group.json }
        members["description"] = .string(group.description)
        members["documents"] = .array(group.documents.map { ["id": .id($0.id), "type": .string($0.type), "status": .string($0.status)] })
        members["phone_numbers"] = .array(orders.map { ["id": .id($0.id), "phone_number": .string($0.phoneNumber), "status": .string($0.status.rawValue)] })
        return .object(members)
    }
}
