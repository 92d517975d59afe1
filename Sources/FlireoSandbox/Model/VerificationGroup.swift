/// A regulatory bundle (business identity and address) that unlocks local numbers once approved.
struct VerificationGroup: Codable, Sendable, Equatable {
    /// The group's review status.
    enum Status: String, Codable, Sendable, CaseIterable {
        case pending
        case approved
        case rejected
        case deleted
    }

    /// One supporting document and its review status.
    struct Document: Codable, Sendable, Equatable {
        var id: SandboxID
        var type: String
        var status: String
    }

    /// The group's id (returned as `requirement_group_id` on creation).
    var id: SandboxID
    var name: String
    var phoneNumberType: PhoneNumberType
    var status: Status
    /// The city, which is the locality of the numbers it unlocks.
    var locality: String
    var businessName: String
    var description: String?
    /// The contact and address fields, kept as sent.
    var contact: [String: String]
    /// Creation time, seconds since the epoch.
    var createdAt: Double
    /// When a pending group is approved automatically; nil means it stays as it is.
    var approvesAt: Double?
    var documents: [Document]

    enum CodingKeys: String, CodingKey {
        case id, name, status, locality, description, contact, documents
        case phoneNumberType = "phone_number_type"
        case businessName = "business_name"
        case createdAt = "created_at"
        case approvesAt = "approves_at"
    }

    /// Sets the status of the group and of its documents together.
    /// - Parameter status: The new status.
    mutating func setStatus(_ status: Status) {
        self.status = status
        let documentStatus = status == .deleted ? "rejected" : status.rawValue
        for index in documents.indices {
            documents[index].status = documentStatus
        }
        if status != .pending {
            approvesAt = nil
        }
    }
}
