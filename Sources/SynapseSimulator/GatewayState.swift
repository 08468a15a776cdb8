import FoundationEssentials
import Glibc
import SynapseContract

/// The simulated gateway's objects and the contract's rules for creating, reading, updating and deleting them.
///
/// Choices where the contract is silent (documented here so tests and readers can rely on them):
/// - a duplicate natural key on create or rename (integration `name`, provider `slug`, model `modelId`+`providerType`,
///   team `name`, active virtual key `name`, guardrail `name`) is refused with 409 `conflict`;
/// - a provider's `integrationId` and a team's `parentTeamId` must name an existing object (400 `unknown_reference`);
/// - request fields the schema does not declare are accepted and ignored, as a typed server would;
/// - lists are in creation order, so paging is stable while objects change;
/// - a soft-deleted team is 404 on item paths; a revoked key can still be read, revoking it again answers 200 again,
///   updating or rotating it is 400 `key_revoked`.
struct GatewayState: Sendable {
    struct Record: Sendable {
        var fields: JSONObject
        /// Write-only values (an integration's `apiKey`, a virtual key's secret): never returned by any read.
        var writeOnly: [String: Secret] = [:]
        /// A soft-deleted team or a revoked key: left out of lists unless asked for.
        var hidden = false
    }

    struct Collection: Sendable {
        var records: [String: Record] = [:]
        var order: [String] = []
    }

    static let createdBy = "simulator-admin"

    private var collections: [String: Collection] = [:]
    private var routingConfig: JSONValue?
    private var tierAssignments: [String: String] = [:]
    private var random: SeededRandom
    /// Writes that changed something, for `/_sim/stats`.
    private(set) var writes = 0

    init(seed: UInt64) {
        // A stream of its own, so ids do not shift the fault decisions.
        random = SeededRandom(seed: seed ^ 0x5EED_1D5E_ED1D_5EED)
    }

    // MARK: - Listed collections

    func list(_ spec: CollectionSpec, query: [String: String]) throws(GatewayError) -> JSONValue {
        let page = try Self.pagingParameter(query, "page", default: 1, range: 1...Int.max)
        let pageSize = try Self.pagingParameter(query, "pageSize", default: 20, range: 1...100)
        let showHidden = query["includeInactive"] == "true" || query["includeDeleted"] == "true"
        let collection = collections[spec.name] ?? Collection()
        let visible = collection.order.compactMap { collection.records[$0] }
            .filter { (showHidden || !$0.hidden) && Self.matches($0.fields, query) }
        let start = min((page - 1).multipliedReportingOverflow(by: pageSize).partialValue, visible.count)
        let items = visible[start..<min(start + pageSize, visible.count)].map { JSONValue.object($0.fields) }
        return [
            spec.listItemsField: .array(Array(items)), "total": .int(visible.count), "page": .int(page),
            "pageSize": .int(pageSize), "totalPages": .int((visible.count + pageSize - 1) / pageSize),
        ]
    }

    func get(_ spec: CollectionSpec, id: String) throws(GatewayError) -> JSONValue {
        .object(try record(spec, id).fields)
    }

    mutating func create(_ spec: CollectionSpec, body: [UInt8]) throws(GatewayError) -> SimulatorResponse {
        let input = try Self.requestObject(body, schema: spec.createSchema)
        try checkUnique(spec, input, exceptId: nil)
        try checkReferences(input)
        let id = random.uuid()
        let now = Self.timestamp()
        var record = Record(fields: ["id": .string(id), "createdAt": .string(now), "updatedAt": .string(now)])
        apply(input, to: &record, spec: spec, now: now)
        fillServerFields(&record, spec: spec, now: now)
        insert(record, id: id, spec: spec)
        if spec == .virtualKey {
            return .json(spec.createStatus, newSecretResponse(for: id, message: "Store the secret now: it is not shown again."))
        }
        return .json(spec.createStatus, .object(record.fields))
    }

    mutating func update(_ spec: CollectionSpec, id: String, body: [UInt8]) throws(GatewayError) -> JSONValue {
        var current = try record(spec, id)
        if spec == .virtualKey, current.hidden { throw Self.keyRevoked(id) }
        let input = try Self.requestObject(body, schema: spec.updateSchema)
        try checkUnique(spec, current.fields.merging(input) { _, new in new }, exceptId: id)
        try checkReferences(input)
        let now = Self.timestamp()
        apply(input, to: &current, spec: spec, now: now)
        current.fields["updatedAt"] = .string(now)
        collections[spec.name]?.records[id] = current
        writes += 1
        return .object(current.fields)
    }

    mutating func delete(_ spec: CollectionSpec, id: String) throws(GatewayError) -> SimulatorResponse {
        var current = try record(spec, id)
        let now = Self.timestamp()
        switch spec.deleteStyle {
        case .remove, .removeWithMessage:
            collections[spec.name]?.records[id] = nil
            collections[spec.name]?.order.removeAll { $0 == id }
            writes += 1
            if spec.deleteStyle == .remove { return .noContent }
            return .json(200, ["message": .string("\(spec.displayName) \(id) deleted")])
        case .softDelete:
            current.hidden = true
            current.fields["updatedAt"] = .string(now)
            collections[spec.name]?.records[id] = current
            writes += 1
            return .json(200, ["success": true, "message": .string("\(spec.displayName) \(id) deleted")])
        case .revoke:
            if !current.hidden {
                current.hidden = true
                current.fields["status"] = "REVOKED"
                current.fields["revokedAt"] = .string(now)
                current.fields["updatedAt"] = .string(now)
                collections[spec.name]?.records[id] = current
                writes += 1
            }
            return .json(200, [
                "id": .string(id), "message": .string("virtual key \(id) revoked"),
                "revokedAt": current.fields["revokedAt"] ?? .string(now),
            ])
        }
    }

    /// `POST /api/v1/virtual-keys/{id}/rotate`: a new secret, shown once; the old one stops working.
    mutating func rotateKey(id: String) throws(GatewayError) -> JSONValue {
        let current = try record(.virtualKey, id)
        if current.hidden { throw Self.keyRevoked(id) }
        writes += 1
        return newSecretResponse(for: id, message: "Key rotated. Store the new secret now: it is not shown again.")
    }

    // MARK: - Routing config (singleton)

    mutating func routing() -> JSONValue {
        if let routingConfig { return routingConfig }
        let now = Self.timestamp()
        let initial: JSONValue = ["strategy": "balanced", "rules": [], "createdAt": .string(now), "updatedAt": .string(now)]
        routingConfig = initial
        return initial
    }

    mutating func putRouting(body: [UInt8]) throws(GatewayError) -> JSONValue {
        let input = try Self.requestObject(body, schema: "RoutingConfigRequest")
        var fields = routing().objectValue ?? [:]
        fields.merge(input) { _, new in new }
        fields["updatedAt"] = .string(Self.timestamp())
        routingConfig = .object(fields)
        writes += 1
        return .object(fields)
    }

    // MARK: - Rate-limit tiers

    func tierAssignmentList() -> JSONValue {
        let assignments = tierAssignments.keys.sorted().map {
            TierCatalog.tenantResponse(tenantId: $0, explicitTier: tierAssignments[$0])
        }
        return ["assignments": .array(assignments), "total": .int(assignments.count)]
    }

    func tier(tenant: String) -> JSONValue {
        TierCatalog.tenantResponse(tenantId: tenant, explicitTier: tierAssignments[tenant])
    }

    mutating func putTier(tenant: String, body: [UInt8]) throws(GatewayError) -> JSONValue {
        let input = try Self.requestObject(body, schema: "SetTenantTierRequest")
        tierAssignments[tenant] = input["tier"]?.stringValue
        writes += 1
        return tier(tenant: tenant)
    }

    mutating func deleteTier(tenant: String) -> JSONValue {
        guard tierAssignments.removeValue(forKey: tenant) != nil else {
            return ["success": true, "message": .string("Tenant \(tenant) had no tier assignment")]
        }
        writes += 1
        return ["success": true, "message": .string("Tier assignment removed for tenant \(tenant)")]
    }

    // MARK: - Introspection

    /// Every object, write-only values shown as `REDACTED`, hidden ones marked `"_hidden": true`.
    mutating func snapshot() -> JSONValue {
        var out: JSONObject = [:]
        for spec in CollectionSpec.all {
            let collection = collections[spec.name] ?? Collection()
            out[spec.listItemsField] = .array(collection.order.compactMap { collection.records[$0] }.map { record in
                var fields = record.fields
                for name in record.writeOnly.keys { fields[name] = "REDACTED" }
                if record.hidden { fields["_hidden"] = true }
                return .object(fields)
            })
        }
        out["routingConfig"] = routing()
        out["rateLimits"] = tierAssignmentList()
        return .object(out)
    }

    // MARK: - Rules per kind

    private func record(_ spec: CollectionSpec, _ id: String) throws(GatewayError) -> Record {
        guard let record = collections[spec.name]?.records[id], !(record.hidden && spec.deleteStyle == .softDelete) else {
            throw GatewayError.notFound("no \(spec.displayName) with id \(id)")
        }
        return record
    }

    private mutating func insert(_ record: Record, id: String, spec: CollectionSpec) {
        collections[spec.name, default: Collection()].records[id] = record
        collections[spec.name, default: Collection()].order.append(id)
        writes += 1
    }

    /// Copies request fields into the record; write-only and derived fields are handled per kind.
    private mutating func apply(_ input: JSONObject, to record: inout Record, spec: CollectionSpec, now: String) {
        for (name, value) in input {
            switch (spec, name) {
            case (.integration, "apiKey"):
                let key = value.stringValue ?? ""
                record.writeOnly["apiKey"] = Secret(key)
                record.fields["keyHint"] = .string(String(key.suffix(4)))
            case (.guardrail, "rules"):
                let guardrailId = record.fields["id"] ?? .null
                record.fields["rules"] = .array((value.arrayValue ?? []).map { rule in
                    var fields = rule.objectValue ?? [:]
                    fields["id"] = .string(random.uuid())
                    fields["guardrailId"] = guardrailId
                    fields["createdAt"] = .string(now)
                    return .object(fields)
                })
            case (.team, "budgetPeriod"):
                record.fields[name] = value
                record.fields["budgetPeriodStart"] = .string(now)
            default:
                record.fields[name] = value
            }
        }
    }

    /// Server-owned fields and the contract's defaults for fields a create left out.
    private mutating func fillServerFields(_ record: inout Record, spec: CollectionSpec, now: String) {
        var defaults: JSONObject = [:]
        switch spec {
        case .integration:
            defaults = ["verified": false, "createdBy": .string(Self.createdBy)]
        case .provider:
            defaults = [
                "status": "UNKNOWN", "enabled": true, "priority": 0, "tags": [], "currentMonthCostCents": 0,
                "currentMonthTokens": 0, "createdBy": .string(Self.createdBy),
            ]
        case .model:
            defaults = ["modelType": "CHAT", "status": "AVAILABLE", "capabilities": [:], "limits": [:], "isCustom": true]
        case .team:
            defaults = ["workspaceId": "ws-simulator", "currentSpendCents": 0, "createdBy": .string(Self.createdBy)]
        case .virtualKey:
            defaults = ["apiKeyIds": [], "allowedModels": [], "allowedIps": [], "status": "ACTIVE", "totalRequests": 0, "totalTokens": 0]
        case .guardrail:
            defaults = [
                "guardType": "INPUT", "category": "CUSTOM", "enabled": true, "action": "BLOCK", "priority": 0, "rules": [],
                "createdBy": .string(Self.createdBy),
            ]
        default:
            break
        }
        // The contract's own defaults win over ours where it declares one.
        for name in ContractSchemas.declaredFields(of: spec.createSchema) ?? [] {
            if let value = ContractSchemas.defaultValue(forField: name, inSchema: spec.createSchema) { defaults[name] = value }
        }
        record.fields.merge(defaults) { current, _ in current }
    }

    private mutating func newSecretResponse(for id: String, message: String) -> JSONValue {
        let secret = "sk-syn-" + random.hex(40)
        var record = collections[CollectionSpec.virtualKey.name]?.records[id] ?? Record(fields: [:])
        record.writeOnly["secret"] = Secret(secret)
        record.fields["keyPrefix"] = .string(String(secret.prefix(11)))
        record.fields["updatedAt"] = .string(Self.timestamp())
        collections[CollectionSpec.virtualKey.name]?.records[id] = record
        return ["key": .object(record.fields), "secret": .string(secret), "message": .string(message)]
    }

    private func checkUnique(_ spec: CollectionSpec, _ candidate: JSONObject, exceptId: String?) throws(GatewayError) {
        let key = spec.naturalKeyFields.map { candidate[$0]?.stringValue ?? "" }
        let collection = collections[spec.name] ?? Collection()
        for (id, record) in collection.records where id != exceptId && !record.hidden {
            if spec.naturalKeyFields.map({ record.fields[$0]?.stringValue ?? "" }) == key {
                let described = zip(spec.naturalKeyFields, key).map { "\($0)=\($1)" }.joined(separator: ", ")
                throw GatewayError.conflict("a \(spec.displayName) with \(described) already exists (id \(id))")
            }
        }
    }

    private func checkReferences(_ input: JSONObject) throws(GatewayError) {
        let references: [(field: String, spec: CollectionSpec)] = [("integrationId", .integration), ("parentTeamId", .team)]
        for (field, spec) in references {
            guard let id = input[field]?.stringValue else { continue }
            if let target = collections[spec.name]?.records[id], !target.hidden { continue }
            throw GatewayError.validation("/\(field): no \(spec.displayName) with id \(id)", code: "unknown_reference")
        }
    }

    private static func keyRevoked(_ id: String) -> GatewayError {
        GatewayError.invalidRequest("virtual key \(id) is revoked; create a new key instead", code: "key_revoked")
    }

    // MARK: - Request helpers

    /// The JSON object body, validated against the schema, reduced to the fields the schema declares.
    static func requestObject(_ body: [UInt8], schema: String) throws(GatewayError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw GatewayError.invalidRequest("request body is not valid JSON: \(error)", code: "invalid_json")
        }
        let violations = ContractSchemas.validate(value, against: schema)
        if let first = violations.first {
            let message = "\(schema): " + violations.map(\.description).joined(separator: "; ")
            throw GatewayError.validation(message, code: first.code)
        }
        let declared = ContractSchemas.declaredFields(of: schema) ?? []
        return (value.objectValue ?? [:]).filter { declared.contains($0.key) }
    }

    private static func pagingParameter(_ query: [String: String], _ name: String, default fallback: Int,
        range: ClosedRange<Int>) throws(GatewayError) -> Int
    {
        guard let text = query[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            let bound = range.upperBound == Int.max ? "≥ \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw GatewayError.validation("\(name) must be an integer \(bound), got \(text)", code: "invalid_paging")
        }
        return value
    }

    /// List filters: `search` (name/description substring), `tag`, `capability`, and any other query parameter
    /// naming a string or boolean field (`providerType=OPEN_AI`, `enabled=true`).
    private static func matches(_ fields: JSONObject, _ query: [String: String]) -> Bool {
        let notFilters: Set<String> = ["page", "pageSize", "includeInactive", "includeDeleted", "sortBy", "sortDirection"]
        for (name, wanted) in query where !notFilters.contains(name) {
            switch name {
            case "search":
                let text = [fields["name"], fields["displayName"], fields["description"]]
                    .compactMap { $0?.stringValue?.lowercased() }
                if !text.contains(where: { $0.contains(wanted.lowercased()) }) { return false }
            case "tag":
                if !(fields["tags"]?.arrayValue ?? []).contains(.string(wanted)) { return false }
            case "capability":
                if fields["capabilities"]?[wanted]?.boolValue != true { return false }
            default:
                switch fields[name] {
                case .string(let s): if s != wanted { return false }
                case .bool(let b): if String(b) != wanted { return false }
                default: return false
                }
            }
        }
        return true
    }

    /// Now, as the gateway writes it: UTC, milliseconds, `Z`.
    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
