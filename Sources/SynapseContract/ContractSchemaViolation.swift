/// One way a JSON value breaks a contract schema.
///
/// `path` is a JSON pointer into the checked value (`/capabilities/tools`, `/rules/0/ruleType`, or `""` for the value
/// itself); `message` says what is wrong and what the contract expects, and never quotes string values that could be
/// secrets (only enum-like values are echoed).
///
/// ```swift
/// let problems = ContractSchemas.validate(["name": 3], against: "CreateTeamRequest")
/// // [/name: expected string, got integer]
/// ```
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule was broken; `code` is the stable machine-readable name.
    public enum Kind: String, Sendable, Hashable {
        case missingRequired = "missing_required_field"
        case wrongType = "invalid_type"
        case notInEnum = "invalid_enum_value"
        case badFormat = "invalid_format"
        case tooLong = "too_long"
        case outOfRange = "out_of_range"
        case unknownSchema = "unknown_schema"
    }

    public let path: String
    public let kind: Kind
    public let message: String

    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    public var code: String { kind.rawValue }

    /// `"/path: message"` (the path `/` stands for the value itself).
    public var description: String { "\(path.isEmpty ? "/" : path): \(message)" }
}
