import Mapping
import SynapseContract

/// What the diff may do beyond creating and updating.
public struct DiffOptions: Sendable, Hashable {
    /// Delete owned objects that left the config.
    public var prune: Bool
    /// Take over same-named objects the controller did not create (they get the ownership marker).
    public var adopt: Bool

    public init(prune: Bool = false, adopt: Bool = false) {
        self.prune = prune
        self.adopt = adopt
    }
}

/// Desired × actual → an ordered `Plan`. Pure: no I/O, deterministic for the same inputs.
///
/// Objects are matched by natural key. Fields are compared after normalisation: server-owned fields are ignored,
/// set-like arrays compare without order, numbers compare by value, a field the config leaves out equals the
/// contract's default. Write-only secrets are compared through a keyed fingerprint kept in the integration's
/// `config`, so a key that cannot be read back still shows as `(changed)` when it changes — never its value.
///
/// ```swift
/// let plan = Differ.plan(desired: mapped.desired, actual: observed, secrets: resolved, options: DiffOptions())
/// print(PlanRenderer.text(plan))
/// ```
public enum Differ {
    public static func plan(
        desired: DesiredState, actual: ActualState, secrets: [ObjectRef: [String: Secret]] = [:],
        options: DiffOptions = DiffOptions()
    ) -> Plan {
        var creates: [Change] = []
        var deletes: [Change] = []
        var unchanged: [ObjectRef] = []
        var conflicts: [Conflict] = []
        var orphans: [ObjectRef] = []
        var uncompared: [String] = []
        let desiredRefs = Set(desired.objects.map(\.ref))

        for duplicate in actual.duplicateKeys {
            conflicts.append(Conflict(ref: duplicate, reason: "the gateway holds more than one \(duplicate.kind.displayName) with this key; remove the extra ones by hand (only the first is managed)"))
        }

        // Same-named objects the controller does not own, and the desired objects that would link to them (a provider
        // to someone else's integration would use a credential the config does not set): neither is written.
        var unowned: Set<ObjectRef> = []
        if !options.adopt {
            for object in desired.objects where object.kind != .routingConfig && object.kind != .rateLimitTier {
                if let current = actual.object(object.ref), !current.isOwned { unowned.insert(object.ref) }
            }
        }
        var blockedBy: [ObjectRef: ObjectRef] = [:]
        var grew = true
        while grew {
            grew = false
            for object in desired.objects where !unowned.contains(object.ref) && blockedBy[object.ref] == nil {
                if let target = object.links.values.sorted().first(where: { unowned.contains($0) || blockedBy[$0] != nil }) {
                    blockedBy[object.ref] = target
                    grew = true
                }
            }
        }

        for object in desired.objects {
            if let target = blockedBy[object.ref] {
                conflicts.append(Conflict(
                    ref: object.ref,
                    reason: "links to \(target), which litellm-synapse does not manage; it is not written — run with --adopt to manage both"))
                continue
            }
            let expected = expectedFields(object, secrets: secrets[object.ref], uncompared: &uncompared)
            if object.kind == .routingConfig {
                if let change = routingChange(object, expected: expected, actual: actual.object(object.ref)) {
                    creates.append(change)
                } else {
                    unchanged.append(object.ref)
                }
                continue
            }
            guard let current = actual.object(object.ref) else {
                creates.append(createChange(object, expected: expected))
                continue
            }
            if unowned.contains(object.ref) {
                conflicts.append(Conflict(
                    ref: object.ref,
                    reason: "exists on the gateway but was not created by litellm-synapse (its description lacks \(Ownership.marker)); it is left alone — run with --adopt to manage it"))
                continue
            }
            if let change = updateChange(object, expected: expected, current: current, actual: actual, secretKnown: secrets[object.ref] != nil) {
                creates.append(change)
            } else {
                unchanged.append(object.ref)
            }
        }

        // Routing rules the controller owns but the config no longer produces (no deployments left).
        if desired.objects(of: .routingConfig).isEmpty, let routing = actual.object(ObjectRef(kind: .routingConfig, key: "routing")) {
            let rules = routing.fields["rules"]?.arrayValue ?? []
            let owned = rules.filter(isOwnedRule)
            if !owned.isEmpty {
                if options.prune {
                    var body = preservedRoutingFields(routing)
                    body["rules"] = .array(rules.filter { !isOwnedRule($0) })
                    creates.append(Change(
                        action: .update, ref: routing.ref, id: routing.id,
                        fields: owned.map { FieldChange(path: "rules", before: $0, after: nil) }, body: body, links: [:],
                        secretFields: [], dependsOn: []))
                } else {
                    orphans.append(routing.ref)
                }
            }
        }

        let owned = actual.objects.filter { $0.isOwned && !$0.kind.isSingleton && $0.kind != .rateLimitTier }
        let pruned = owned.filter { !desiredRefs.contains($0.ref) }
        // A parent (a team with sub-teams) is deleted after the children deleted in the same pass.
        var prunedChildren: [String: [ObjectRef]] = [:]
        for child in pruned {
            guard let field = selfLinkFields[child.kind], let parentID = child.fields[field]?.stringValue else { continue }
            prunedChildren["\(child.kind.rawValue)/\(parentID)", default: []].append(child.ref)
        }
        for object in pruned {
            if options.prune {
                let children = (prunedChildren["\(object.kind.rawValue)/\(object.id)"] ?? []).filter { $0 != object.ref }
                deletes.append(Change(
                    action: .delete, ref: object.ref, id: object.id, fields: [], body: [:], links: [:], secretFields: [],
                    dependsOn: children.sorted()))
            } else {
                orphans.append(object.ref)
            }
        }

        creates = relinkingDependants(of: creates, desired: desired, actual: actual, conflicts: Set(conflicts.map(\.ref)))
        creates.sort { ($0.ref.kind, $0.ref.key) < ($1.ref.kind, $1.ref.key) }
        creates = dependenciesFirst(creates)
        deletes.sort { ($0.ref.kind, $0.ref.key) > ($1.ref.kind, $1.ref.key) }
        deletes = dependenciesFirst(deletes)
        let changed = Set(creates.map(\.ref))
        return Plan(
            changes: creates + deletes, unchanged: unchanged.filter { !changed.contains($0) }.sorted(), conflicts: conflicts,
            orphans: orphans.sorted(),
            uncomparedSecrets: uncompared, ownedCount: owned.count)
    }

    // MARK: - Expected state

    /// The desired fields as the gateway should hold them: with the secret fingerprint in the integration's config.
    static func expectedFields(_ object: DesiredObject, secrets: [String: Secret]?, uncompared: inout [String]) -> JSONObject {
        var fields = object.fields
        guard object.kind == .integration, !object.secrets.isEmpty else { return fields }
        guard let secrets else {
            uncompared.append("\(object.ref) apiKey")
            return fields
        }
        var config = fields["config"]?.objectValue ?? [:]
        var bookkeeping: JSONObject = [:]
        for field in object.secrets.keys.sorted() {
            bookkeeping[field + "Fingerprint"] = .string(SecretFingerprint.of(secrets[field]?.value ?? "", object: object.ref, field: field))
        }
        config[Ownership.integrationConfigField] = .object(bookkeeping)
        fields["config"] = .object(config)
        return fields
    }

    private static func createChange(_ object: DesiredObject, expected: JSONObject) -> Change {
        var fields = expected.keys.sorted().map { FieldChange(path: $0, before: nil, after: expected[$0]) }
        fields += object.secrets.keys.sorted().map { FieldChange(path: $0, before: nil, after: nil, sensitive: true) }
        fields += object.links.keys.sorted().map { FieldChange(path: $0, before: nil, after: .string("(id of \(object.links[$0]!))")) }
        var body = expected
        if object.kind == .rateLimitTier { body["tenantId"] = .string(object.key) }
        return Change(
            action: .create, ref: object.ref, id: nil, fields: fields, body: body, links: object.links,
            secretFields: object.secrets.keys.sorted(), dependsOn: object.links.values.sorted())
    }

    // MARK: - Updates

    private static func updateChange(
        _ object: DesiredObject, expected: JSONObject, current: ActualObject, actual: ActualState, secretKnown: Bool
    ) -> Change? {
        let kind = object.kind
        if kind == .rateLimitTier {
            let explicit = current.fields["explicit"]?.boolValue ?? true
            guard !explicit || !same(current.fields["tier"], expected["tier"]) else { return nil }
            return Change(
                action: .update, ref: object.ref, id: current.id,
                fields: [FieldChange(path: "tier", before: explicit ? current.fields["tier"] : nil, after: expected["tier"])],
                body: ["tier": expected["tier"] ?? .null], links: [:], secretFields: [], dependsOn: [])
        }
        let ignored = kind.serverOwnedFields.union(kind.writeOnlyFields)
        let declared = ContractSchemas.declaredFields(of: kind.createSchema) ?? Set(expected.keys)
        let updatable = ContractSchemas.declaredFields(of: kind.updateSchema) ?? declared
        var changes: [FieldChange] = []
        var body: JSONObject = [:]
        var secretFields: [String] = []
        var replace = false

        for field in declared.union(expected.keys).subtracting(ignored).subtracting(object.links.keys).sorted() {
            let want = expected[field]
            let have = current.fields[field]
            if kind == .integration, field == "config" {
                // The fingerprint inside config stands for the write-only key: a difference there is the key's change.
                let fingerprintDiffers = secretKnown && !same(have?[Ownership.integrationConfigField], want?[Ownership.integrationConfigField])
                let settingsDiffer = !same(have.map(PlanRenderer.displayed), want.map(PlanRenderer.displayed))
                if settingsDiffer { changes.append(FieldChange(path: field, before: have.map(PlanRenderer.displayed), after: want.map(PlanRenderer.displayed))) }
                if fingerprintDiffers {
                    for secretField in object.secrets.keys.sorted() {
                        changes.append(FieldChange(path: secretField, before: nil, after: nil, sensitive: true))
                        secretFields.append(secretField)
                    }
                }
                if settingsDiffer || fingerprintDiffers {
                    var config = want?.objectValue ?? [:]
                    if !secretKnown, let kept = have?[Ownership.integrationConfigField] { config[Ownership.integrationConfigField] = kept }
                    body[field] = .object(config)
                }
                continue
            }
            let fallback = ContractSchemas.defaultValue(forField: field, inSchema: kind.createSchema)
            if let want {
                if same(have, want, setLike: setLikeFields.contains(field)) { continue }
                // The gateway left the field out and the config spells out the contract's default: the same thing.
                if have == nil || have == .null, let fallback, same(want, fallback) { continue }
            } else {
                // Left out of the config: equal when absent or at the contract's default; else put back to that
                // default, or cleared if the update request can clear it.
                guard let have, have != .null else { continue }
                if let fallback {
                    if same(have, fallback) { continue }
                    changes.append(FieldChange(path: field, before: have, after: fallback))
                    if updatable.contains(field) { body[field] = fallback } else { replace = true }
                    continue
                }
                // A field the update request does not take cannot be cleared by one (the gateway would ignore it).
                guard updatable.contains(field), let empty = emptyValue(like: have, field: field, kind: kind) else { continue }
                if same(have, empty) { continue }
                changes.append(FieldChange(path: field, before: have, after: nil))
                body[field] = empty
                continue
            }
            changes.append(FieldChange(path: field, before: have, after: want))
            if updatable.contains(field) {
                body[field] = want
            } else {
                replace = true
            }
        }
        for (field, ref) in object.links.sorted(by: { $0.key < $1.key }) {
            let expectedID = actual.object(ref)?.id
            if let expectedID, current.fields[field]?.stringValue == expectedID { continue }
            changes.append(FieldChange(path: field, before: current.fields[field], after: .string("(id of \(ref))")))
        }
        guard !changes.isEmpty else { return nil }
        if replace {
            var createBody = expected
            createBody.removeValue(forKey: "id")
            return Change(
                action: .replace, ref: object.ref, id: current.id, fields: changes, body: createBody, links: object.links,
                secretFields: object.secrets.keys.sorted(), dependsOn: object.links.values.sorted())
        }
        let linkFields = object.links.filter { field, _ in changes.contains { $0.path == field } }
        return Change(
            action: .update, ref: object.ref, id: current.id, fields: changes, body: body, links: linkFields,
            secretFields: secretFields, dependsOn: linkFields.values.sorted())
    }

    /// Fields holding the id of another object of the same kind (a team's parent).
    static let selfLinkFields: [ResourceKind: String] = [.team: "parentTeamId"]

    /// Reorders changes so each comes after the changes it depends on (a sub-team after its parent on create, a
    /// parent after its children on delete), keeping the order otherwise.
    private static func dependenciesFirst(_ changes: [Change]) -> [Change] {
        var byRef: [ObjectRef: Int] = [:]
        for (index, change) in changes.enumerated() where byRef[change.ref] == nil { byRef[change.ref] = index }
        var out: [Change] = []
        out.reserveCapacity(changes.count)
        var placed = [Bool](repeating: false, count: changes.count)
        var visiting = [Bool](repeating: false, count: changes.count)
        // Depth-first: a change's dependencies in this list are placed just before it (a cycle, which a gateway's
        // tree cannot produce, is broken where it closes).
        func place(_ index: Int) {
            guard !placed[index], !visiting[index] else { return }
            visiting[index] = true
            for dependency in changes[index].dependsOn { if let other = byRef[dependency], other != index { place(other) } }
            placed[index] = true
            out.append(changes[index])
        }
        for index in changes.indices { place(index) }
        return out
    }

    /// A replaced object (delete + create) gets a new gateway id: every existing object linking to it must be pointed
    /// at the new one in the same pass, after the replacement. Its update gains the link field and the dependency.
    private static func relinkingDependants(
        of changes: [Change], desired: DesiredState, actual: ActualState, conflicts: Set<ObjectRef>
    ) -> [Change] {
        let replaced = Set(changes.filter { $0.action == .replace }.map(\.ref))
        guard !replaced.isEmpty else { return changes }
        var out = changes
        for object in desired.objects {
            let fields = object.links.filter { replaced.contains($0.value) }
            guard !fields.isEmpty, let current = actual.object(object.ref), !conflicts.contains(object.ref) else { continue }
            let targets = fields.values.sorted()
            let linkChanges = fields.keys.sorted().map { FieldChange(path: $0, before: current.fields[$0], after: .string("(id of \(fields[$0]!))")) }
            if let index = out.firstIndex(where: { $0.ref == object.ref }) {
                let change = out[index]
                // A create or replace of the dependant already links by ref; only an update needs the new link added.
                guard change.action == .update else { continue }
                let missing = linkChanges.filter { link in !change.fields.contains { $0.path == link.path } }
                out[index] = Change(
                    action: .update, ref: change.ref, id: change.id, fields: change.fields + missing, body: change.body,
                    links: change.links.merging(fields) { _, new in new }, secretFields: change.secretFields,
                    dependsOn: Array(Set(change.dependsOn + targets)).sorted())
            } else {
                out.append(Change(
                    action: .update, ref: object.ref, id: current.id, fields: linkChanges, body: [:], links: fields,
                    secretFields: [], dependsOn: targets))
            }
        }
        return out
    }

    /// Arrays whose order carries no meaning in the contract.
    static let setLikeFields: Set<String> = ["tags", "allowedModels", "allowedIps", "apiKeyIds"]

    /// The value that clears a field the config no longer sets; nil where the contract offers no way to clear it
    /// (an enum, a uuid or a date-time field does not accept `""`: sending it would fail the update on every run).
    private static func emptyValue(like value: JSONValue, field: String, kind: ResourceKind) -> JSONValue? {
        let empty: JSONValue
        switch value {
        case .object: empty = .object([:])
        case .array: empty = .array([])
        case .string: empty = .string("")
        default: return nil
        }
        let problems = ContractSchemas.validate(.object([field: empty]), against: kind.updateSchema)
        // (Not `problems.isEmpty ? empty : nil`: JSONValue is nil-literal expressible, so that would be `.null`.)
        guard problems.isEmpty else { return nil }
        return empty
    }

    // MARK: - Routing config (a singleton shared with people: only owned rules are compared and replaced)

    static func isOwnedRule(_ rule: JSONValue) -> Bool {
        rule[Ownership.ruleOwnerField]?.stringValue == Ownership.ruleOwnerValue
    }

    private static func preservedRoutingFields(_ routing: ActualObject) -> JSONObject {
        var body: JSONObject = ["strategy": routing.fields["strategy"] ?? .string("cost_optimized")]
        for field in ["weights", "cascadeConfig", "sloConfig"] where routing.fields[field] != nil && routing.fields[field] != .null {
            body[field] = routing.fields[field]
        }
        return body
    }

    private static func routingChange(_ object: DesiredObject, expected: JSONObject, actual current: ActualObject?) -> Change? {
        let wantRules = expected["rules"]?.arrayValue ?? []
        guard let current else {
            return Change(
                action: .create, ref: object.ref, id: nil,
                fields: [FieldChange(path: "strategy", before: nil, after: expected["strategy"])]
                    + wantRules.map { FieldChange(path: "rules", before: nil, after: $0) },
                body: expected, links: [:], secretFields: [], dependsOn: [])
        }
        let haveRules = current.fields["rules"]?.arrayValue ?? []
        let ownedHave = haveRules.filter(isOwnedRule)
        var changes: [FieldChange] = []
        if !same(current.fields["strategy"], expected["strategy"]) {
            changes.append(FieldChange(path: "strategy", before: current.fields["strategy"], after: expected["strategy"]))
        }
        let removed = multisetDifference(ownedHave, wantRules)
        let added = multisetDifference(wantRules, ownedHave)
        changes += removed.map { FieldChange(path: "rules", before: $0, after: nil) }
        changes += added.map { FieldChange(path: "rules", before: nil, after: $0) }
        guard !changes.isEmpty else { return nil }
        var body = preservedRoutingFields(current)
        body["strategy"] = expected["strategy"]
        body["rules"] = .array(haveRules.filter { !isOwnedRule($0) } + wantRules)
        return Change(action: .update, ref: object.ref, id: current.id, fields: changes, body: body, links: [:], secretFields: [], dependsOn: [])
    }

    private static func multisetDifference(_ a: [JSONValue], _ b: [JSONValue]) -> [JSONValue] {
        var remaining = b.map(normalized)
        var out: [JSONValue] = []
        for item in a {
            let n = normalized(item)
            if let i = remaining.firstIndex(of: n) { remaining.remove(at: i) } else { out.append(item) }
        }
        return out
    }

    // MARK: - Normalised comparison

    /// Equality after normalisation: numbers by value, nulls equal to absent, set-like arrays without order.
    static func same(_ a: JSONValue?, _ b: JSONValue?, setLike: Bool = false) -> Bool {
        let na = a.map(normalized) ?? .null
        let nb = b.map(normalized) ?? .null
        if setLike, case .array(let x) = na, case .array(let y) = nb {
            return x.map { $0.serialized() }.sorted() == y.map { $0.serialized() }.sorted()
        }
        return na == nb
    }

    /// Integral doubles become ints; object members whose value is null are dropped.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let d) where d.rounded() == d && abs(d) < 9e15: return .int(Int(d))
        case .array(let items): return .array(items.map(normalized))
        case .object(let fields):
            var out: JSONObject = [:]
            for (k, v) in fields where v != .null { out[k] = normalized(v) }
            return .object(out)
        default: return value
        }
    }
}
