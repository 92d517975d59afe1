/// How to start a sandbox: address, accounts, fixture sizes, faults and persistence.
public struct SandboxOptions: Sendable, Equatable {
    /// The key of the single account an in-process sandbox gets when no key is given.
    public static let defaultAPIKey = "sk_sandbox_0123456789abcdef"

    /// The address to bind (loopback by default).
    public var host: String
    /// The port; 0 picks a free one (see `Sandbox.port`).
    public var port: Int
    /// One account per key; empty means `[defaultAPIKey]` (or the keys of the state file).
    public var apiKeys: [String]
    /// Fixtures and fault draws derive from it.
    public var seed: UInt64
    /// Assistants per account.
    public var assistants: Int
    /// Custom phone numbers per account.
    public var numbers: Int
    /// Faults to inject from the start.
    public var faults: SandboxFaults
    /// A JSON file to load the state from (when it exists) and save it to on stop.
    public var stateFile: String?
    /// Seconds until an order settles (pending → success or failed).
    public var orderCompletionSeconds: Double
    /// Seconds until a new verification group is approved.
    public var groupApprovalSeconds: Double
    /// Log each request to stderr.
    public var logRequests: Bool

    /// Options with defaults: loopback, any free port, the default key, seed 1, 20 assistants, 30 numbers.
    /// - Parameters:
    ///   - host: The address to bind.
    ///   - port: The port (0 = any free one).
    ///   - apiKeys: The keys.
    ///   - seed: The fixture seed.
    ///   - assistants: Assistants per account.
    ///   - numbers: Custom numbers per account.
    ///   - faults: Faults to inject.
    ///   - stateFile: The state file.
    ///   - orderCompletionSeconds: Order delay.
    ///   - groupApprovalSeconds: Approval delay.
    ///   - logRequests: Log each request.
    public init(
        host: String = "127.0.0.1", port: Int = 0, apiKeys: [String] = [], seed: UInt64 = 1,
        assistants: Int = 20, numbers: Int = 30, faults: SandboxFaults = .none, stateFile: String? = nil,
        orderCompletionSeconds: Double = 0.5, groupApprovalSeconds: Double = 2, logRequests: Bool = false
    ) {
        self.host = host
        self.port = port
        self.apiKeys = apiKeys
        self.seed = seed
        self.assistants = assistants
        self.numbers = numbers
        self.faults = faults
        self.stateFile = stateFile
        self.orderCompletionSeconds = orderCompletionSeconds
        self.groupApprovalSeconds = groupApprovalSeconds
        self.logRequests = logRequests
    }

    /// The largest fixture an account may ask for (per kind).
    public static let maximumFixtureSize = 1_000_000

    /// Checks every value.
    /// - Throws: `SandboxError` naming the first bad one.
    public func validate() throws(SandboxError) {
        guard (0...65_535).contains(port) else { throw SandboxError("port must be 0…65535, got \(port)") }
        guard (0...Self.maximumFixtureSize).contains(assistants) else {
            throw SandboxError("assistants must be 0…\(Self.maximumFixtureSize), got \(assistants)")
        }
        guard (0...Self.maximumFixtureSize).contains(numbers) else {
            throw SandboxError("numbers must be 0…\(Self.maximumFixtureSize), got \(numbers)")
        }
        guard (apiKeys.count + 1) * max(numbers, FixtureSpec.hiddenNumbers) <= FixtureSpec.numberCapacity else {
            throw SandboxError("too many numbers in all: keys × numbers must stay under \(FixtureSpec.numberCapacity)")
        }
        for key in apiKeys where key.isEmpty || key.contains(where: { $0.isWhitespace || !$0.isASCII }) {
            throw SandboxError("an API key must be non-empty printable ASCII without spaces")
        }
        guard Set(apiKeys).count == apiKeys.count else { throw SandboxError("an API key is given twice") }
        guard orderCompletionSeconds >= 0, groupApprovalSeconds >= 0 else { throw SandboxError("delays must not be negative") }
        try faults.validate()
    }
}
