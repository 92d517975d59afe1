/// The shapes a number takes in each endpoint (they differ on purpose: the API's own names).
extension PhoneNumberRecord {
    /// `GET /v1/assistants/{id}/phone-number`: `id, number, type, locality, origin`.
    var linkedJSON: JSON {
        ["id": .id(id), "number": .string(number), "type": .string(type?.rawValue), "locality": .string(locality), "origin": .string(origin.rawValue)]
    }

    /// `POST …/phone-number`: like GET without `origin`.
    var linkResultJSON: JSON {
        ["id": .id(id), "number": .string(number), "type": .string(type?.rawValue), "locality": .string(locality)]
    }

    /// `DELETE …/phone-number`: `id, number`.
    var unlinkedJSON: JSON {
        ["id": .id(id), "number": .string(number)]
    }

    /// `shared_numbers` of the phone number list.
    var sharedJSON: JSON {
        ["id": .id(id), "phone_number": .string(number), "locality": .string(locality), "number_type": .string(type?.rawValue)]
    }
}

extension PhoneNumberListItem {
    /// One row of `GET /v1/phone-numbers`.
    var json: JSON {
        [
            "id": .id(number.id), "phone_number": .string(number.number), "locality": .string(number.locality),
            "number_type": .string(number.type?.rawValue), "available": .bool(available),
            "created_at": .string(WallClock.iso8601(number.createdAt)),
            "linked_assistant": linkedAssistant.map { ["id": .id($0.id), "name": .string($0.name)] } ?? .null,
        ]
    }
}

extension AssistantView {
    /// An assistant (inferred shape): `id, name, phone_number, created_at`.
    var json: JSON {
        [
            "id": .id(assistant.id), "name": .string(assistant.name),
            "phone_number": number?.linkedJSON ?? .null,
            "created_at": .string(WallClock.iso8601(assistant.createdAt)),
        ]
    }
}

extension NumberCatalog.Candidate {
    /// One orderable number.
    var json: JSON {
        [
            "phone_number": .string(number), "number_type": .string(type.rawValue), "locality": .string(locality),
            "features": .array(features.map(JSON.string)),
            "cost": ["monthly": .string(monthly), "currency": "EUR", "credits": .int(AccountState.orderCost)],
            "reservable": true,
        ]
    }
}

extension AvailableListing {
    /// `{"data": […], "meta": {"total_results", "number_type", "requires_verification"}}`.
    var json: JSON {
        [
            "data": .array(items.map(\.json)),
            "meta": ["total_results": .int(totalResults), "number_type": .string(type.rawValue), "requires_verification": .bool(requiresVerification)],
        ]
    }
}
