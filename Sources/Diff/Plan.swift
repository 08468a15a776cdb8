import Mapping
import SynapseContract

/// The ordered changes that make the gateway match the config: creates and updates parents first
/// (integrations → providers → models → teams → keys → routing → tier), deletes children first.
public struct Plan: Sendable, Hashable {
    public let changes: [Change]
    /// Objects that already match.
    public let unchanged: [ObjectRef]
    /// Same-named objects the controller does not own, and desired objects linking to them: reported, never
    /// written (unless `--adopt`).
    public let conflicts: [Conflict]
    /// Owned objects no longer in the config, kept because pruning is off.
    public let orphans: [ObjectRef]
    /// Secrets that could not be compared (their value was not available): never shown as changed.
    public let uncomparedSecrets: [String]
    /// How many objects on the gateway carry the ownership marker (the base of the mass-delete guard).
    public let ownedCount: Int

    public var isEmpty: Bool { changes.isEmpty }

    public func count(_ action: Change.Action) -> Int { changes.filter { $0.action == action }.count }

    /// The same plan with the given top-level fields shown as sensitive in every rendering: values that came from the
    /// environment (an `os.environ/` reference) are compared, and sent, but never displayed.
    public func maskingFields(_ masked: [ObjectRef: Set<String>]) -> Plan {
        guard !masked.isEmpty else { return self }
        let changes = changes.map { change -> Change in
            guard let fields = masked[change.ref] else { return change }
            let shown = change.fields.map { field -> FieldChange in
                let top = String(field.path.prefix { $0 != "." && $0 != "[" })
                guard fields.contains(top), !field.sensitive else { return field }
                return FieldChange(path: field.path, before: nil, after: nil, sensitive: true)
            }
            return Change(
                action: change.action, ref: change.ref, id: change.id, fields: shown, body: change.body, links: change.links,
                secretFields: change.secretFields, dependsOn: change.dependsOn)
        }
        return Plan(
            changes: changes, unchanged: unchanged, conflicts: conflicts, orphans: orphans,
            uncomparedSecrets: uncomparedSecrets, ownedCount: ownedCount)
    }
}

/// One change to one gateway object.
public struct Change: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case create, update, delete
        /// An immutable field changed: delete, then create.
        case replace
    }

    public let action: Action
    public let ref: ObjectRef
    /// The gateway id of the object being updated or deleted.
    public let id: String?
    /// Field-level differences (for creates: every field; for deletes: none).
    public let fields: [FieldChange]
    /// The request body without link fields: the create body, or only the changed fields for an update.
    public let body: JSONObject
    /// Fields to fill with another object's gateway id at apply time.
    public let links: [String: ObjectRef]
    /// Secret fields to send, from the desired object's secret sources.
    public let secretFields: [String]
    /// Objects this change needs first (a provider its integration, a team its parent).
    public let dependsOn: [ObjectRef]
}

/// One field's difference. Sensitive fields render as `(sensitive)` / `(changed)`, never with values.
public struct FieldChange: Sendable, Hashable {
    public let path: String
    public let before: JSONValue?
    public let after: JSONValue?
    public let sensitive: Bool

    public init(path: String, before: JSONValue?, after: JSONValue?, sensitive: Bool = false) {
        self.path = path
        self.before = before
        self.after = after
        self.sensitive = sensitive
    }
}

public struct Conflict: Sendable, Hashable {
    public let ref: ObjectRef
    public let reason: String
}
