import Diff
import Mapping
import SynapseContract

/// Builders for hand-made desired and actual states.
enum Fixture {
    static let marker = Ownership.marker

    static func owned(_ text: String) -> JSONValue { .string(Ownership.markedDescription(text)) }

    static func desired(_ objects: [DesiredObject], tenant: String = "acme") -> DesiredState {
        DesiredState(objects: objects, tenant: tenant)
    }

    static func actual(_ objects: [ActualObject]) -> ActualState { ActualState(objects: objects) }

    /// An object as the gateway returns it, with server-owned fields filled in.
    static func read(_ kind: ResourceKind, id: String, _ fields: JSONObject) -> ActualObject {
        var all = fields
        all["id"] = .string(id)
        all["createdAt"] = "2025-01-01T00:00:00.000Z"
        all["updatedAt"] = "2025-01-02T00:00:00.000Z"
        guard let object = ActualObject(kind: kind, response: all) else { fatalError("no natural key in \(fields)") }
        return object
    }

    static func team(_ name: String, description: String? = nil, budget: Int? = nil, period: String? = nil, parent: String? = nil) -> DesiredObject {
        var fields: JSONObject = ["name": .string(name), "description": owned(description ?? "team \(name)")]
        if let budget { fields["maxBudgetCents"] = .int(budget) }
        if let period { fields["budgetPeriod"] = .string(period) }
        return DesiredObject(
            kind: .team, key: name, fields: fields,
            links: parent.map { ["parentTeamId": ObjectRef(kind: .team, key: $0)] } ?? [:])
    }

    static func integration(_ name: String, secret: SecretSource = .environment("OPENAI_API_KEY"), config: JSONObject = [:]) -> DesiredObject {
        DesiredObject(
            kind: .integration, key: name,
            fields: ["name": .string(name), "providerType": "OPEN_AI", "description": owned("credential \(name)"), "config": .object(config)],
            secrets: ["apiKey": secret])
    }

    static func provider(_ slug: String, integration: String, rateLimits: JSONObject? = nil, tags: [String] = []) -> DesiredObject {
        var fields: JSONObject = [
            "slug": .string(slug), "name": .string(slug), "providerType": "openai", "description": owned("provider \(slug)"),
        ]
        if let rateLimits { fields["rateLimits"] = .object(rateLimits) }
        if !tags.isEmpty { fields["tags"] = .array(tags.map(JSONValue.string)) }
        return DesiredObject(
            kind: .provider, key: slug, fields: fields, links: ["integrationId": ObjectRef(kind: .integration, key: integration)])
    }

    static func model(_ id: String, type: String = "OPEN_AI", extra: JSONObject = [:]) -> DesiredObject {
        var fields: JSONObject = [
            "modelId": .string(id), "displayName": .string(id), "providerType": .string(type), "description": owned("model \(id)"),
        ]
        fields.merge(extra) { _, new in new }
        return DesiredObject(kind: .model, key: "\(id)|\(type)", fields: fields)
    }

    static func key(_ name: String, models: [String] = []) -> DesiredObject {
        var fields: JSONObject = ["name": .string(name), "description": owned("key \(name)")]
        if !models.isEmpty { fields["allowedModels"] = .array(models.map(JSONValue.string)) }
        return DesiredObject(kind: .virtualKey, key: name, fields: fields)
    }

    static func routing(strategy: String = "cost_optimized", rules: [JSONValue]) -> DesiredObject {
        DesiredObject(kind: .routingConfig, key: "routing", fields: ["strategy": .string(strategy), "rules": .array(rules)])
    }

    static func ownedRule(_ pattern: String, to model: String, weight: Int? = nil) -> JSONValue {
        var rule: JSONObject = [
            Ownership.ruleOwnerField: .string(Ownership.ruleOwnerValue), "modelPattern": .string(pattern),
            "routeTo": .string(model), "priority": 100,
        ]
        if let weight { rule["weight"] = .int(weight) }
        return .object(rule)
    }

    /// The fingerprinted config the controller leaves on an integration it created with `secret`.
    static func fingerprinted(_ name: String, secret: String, config: JSONObject = [:]) -> JSONValue {
        var out = config
        out[Ownership.integrationConfigField] = [
            "apiKeyFingerprint": .string(SecretFingerprint.of(secret, object: ObjectRef(kind: .integration, key: name), field: "apiKey"))
        ]
        return .object(out)
    }

    static func secrets(_ pairs: [(String, String)]) -> [ObjectRef: [String: Secret]] {
        var out: [ObjectRef: [String: Secret]] = [:]
        for (name, value) in pairs { out[ObjectRef(kind: .integration, key: name)] = ["apiKey": Secret(value)] }
        return out
    }
}

extension Plan {
    func change(_ kind: ResourceKind, _ key: String) -> Change? { changes.first { $0.ref == ObjectRef(kind: kind, key: key) } }
    var actions: [String] { changes.map { "\($0.action.rawValue) \($0.ref.kind.rawValue):\($0.ref.key)" } }
}
