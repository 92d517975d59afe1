/// One row of an account's link table: which assistant answers on which number.
public struct SandboxLink: Sendable, Equatable, Hashable {
    /// The assistant's id.
    public var assistantID: String
    /// The linked number's id.
    public var phoneNumberID: String
    /// The linked number in E.164.
    public var number: String
    /// `"default"` or `"custom"`.
    public var origin: String

    /// Creates a row.
    /// - Parameters:
    ///   - assistantID: The assistant's id.
    ///   - phoneNumberID: The number's id.
    ///   - number: The E.164 number.
    ///   - origin: `"default"` or `"custom"`.
    public init(assistantID: String, phoneNumberID: String, number: String, origin: String) {
        self.assistantID = assistantID
        self.phoneNumberID = phoneNumberID
        self.number = number
        self.origin = origin
    }
}
