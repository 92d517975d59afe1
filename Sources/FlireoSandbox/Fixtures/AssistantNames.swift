/// Realistic assistant names: a team, a role and sometimes a place or a language.
enum AssistantNames {
    static let teams = [
        "Customer Support", "Sales", "Billing", "Appointments", "Reception", "Technical Support",
        "Returns", "Onboarding", "Claims", "Reservations", "After-hours", "Helpdesk", "Bookings",
        "Order Status", "Service Desk", "Front Desk", "Dispatch", "Renewals", "Collections", "Triage",
    ]
    static let roles = ["Agent", "Assistant", "Line", "Desk", "Receptionist", "Concierge", "Bot", "Router"]
    static let suffixes = ["(NL)", "(EN)", "(FR)", "— Weekend", "— Night shift", "v2", "Pilot", "Backup"]

    /// A name drawn from the tables.
    /// - Parameter generator: The fixture's generator.
    /// - Returns: The name, e.g. "Customer Support Agent — Rotterdam".
    static func draw(_ generator: inout SplitMix64) -> String {
        var name = "\(generator.pick(teams)) \(generator.pick(roles))"
        switch generator.below(10) {
        case 0, 1: name += " — \(generator.pick(Locality.all).name)"
        case 2: name += " \(generator.pick(suffixes))"
        default: break
        }
        return name
    }
}
