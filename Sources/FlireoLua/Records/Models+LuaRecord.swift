import FlireoAPI

// One naming for Lua whatever the endpoint calls a field: a phone number is always
// {id, number, type, locality, origin}, never phone_number/number_type.

extension PhoneNumber {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("id", id)
        r.set("number", number)
        r.set("type", type)
        r.set("locality", locality)
        r.set("origin", origin)
        return r
    }
}

extension AccountPhoneNumber {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("id", id)
        r.set("number", number)
        r.set("type", type)
        r.set("locality", locality)
        r.set("origin", origin)
        r.set("available", available)
        r.set("created_at", createdAt)
        if let linkedAssistant {
            var assistant = LuaRecord()
            assistant.set("id", linkedAssistant.id)
            assistant.set("name", linkedAssistant.name)
            r.set("linked_assistant", assistant)
        }
        return r
    }
}

extension AssistantPhoneNumber {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("assistant_id", assistantID)
        r.set("assistant_name", assistantName)
        r.set("phone_number", phoneNumber?.record)
        return r
    }
}

extension LinkResult {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("assistant_id", assistantID)
        r.set("phone_number", phoneNumber.record)
        r.set("previous_phone_number_id", previousPhoneNumberID)
        r.set("released_assistants", releasedAssistants)
        r.set("message", message)
        if reconciled { r.set("reconciled", true) }
        return r
    }
}

extension UnlinkResult {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("assistant_id", assistantID)
        r.set("unlinked_phone_number", unlinkedPhoneNumber?.record)
        r.set("message", message)
        if reconciled { r.set("reconciled", true) }
        return r
    }
}

extension AvailablePhoneNumber {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("number", number)
        r.set("type", type)
        r.set("locality", locality)
        r["features"] = .table(.init(array: features.map { .string($0) }, shape: .array))
        if let cost {
            var c = LuaRecord()
            c.set("monthly", cost.monthly)
            c.set("currency", cost.currency)
            c.set("credits", cost.credits)
            r.set("cost", c)
        }
        r.set("reservable", reservable)
        return r
    }
}

extension PhoneNumberOrder {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("id", id)
        r.set("number", number)
        r.set("status", status)
        r.set("type", type)
        r.set("requirements_met", requirementsMet)
        r.set("ordered_at", orderedAt)
        if let group = verificationGroup {
            var g = LuaRecord()
            g.set("id", group.id)
            g.set("name", group.name)
            g.set("locality", group.locality)
            r.set("verification_group", g)
        }
        r.set("external_order_id", externalOrderID)
        r.set("external_sub_order_id", externalSubOrderID)
        return r
    }
}

extension PhoneNumberOrderPlacement {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("id", orderID)
        r.set("number", number)
        r.set("type", type)
        r.set("status", status)
        r.set("credits_used", creditsUsed)
        r.set("remaining_credits", remainingCredits)
        r.set("message", message)
        return r
    }
}

extension VerificationGroup {
    var record: LuaRecord {
        var r = LuaRecord()
        r.set("id", id)
        r.set("name", name)
        r.set("type", phoneNumberType)
        r.set("status", status)
        r.set("locality", locality)
        r.set("business_name", businessName)
        r.set("created_at", createdAt)
        r.set("description", description)
        r.set("documents", documents?.map { document in
            var d = LuaRecord()
            d.set("id", document.id)
            d.set("type", document.type)
            d.set("status", document.status)
            return d
        })
        r.set("phone_numbers", phoneNumbers?.map { number in
            var n = LuaRecord()
            n.set("id", number.id)
            n.set("number", number.number)
            n.set("status", number.status)
            return n
        })
        return r
    }
}

extension Assistant {
    /// The assistant's record: every field the server sent (the shape is inferred), with
    /// JSON nulls dropped.
    var record: LuaRecord {
        var r = LuaRecord()
        if case .object(let object) = raw {
            for entry in object.entries { r[entry.key] = entry.value.luaValue(keepNulls: false) }
        }
        r.set("id", id)
        r.set("name", name)
        return r
    }
}
