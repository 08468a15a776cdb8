import Diff
import Mapping
import SynapseContract
import Testing

@Suite("Differ: matching and normalisation")
struct DifferMatchingTests {
    @Test("objects are matched by natural key, not by id or position")
    func matchesByNaturalKey() {
        let desired = Fixture.desired([Fixture.team("research", budget: 5000), Fixture.team("ops")])
        let actual = Fixture.actual([
            Fixture.read(.team, id: "t-ops", ["name": "ops", "description": Fixture.owned("team ops")]),
            Fixture.read(.team, id: "t-res", ["name": "research", "description": Fixture.owned("team research"), "maxBudgetCents": 4000]),
        ])
        let plan = Differ.plan(desired: desired, actual: actual)
        #expect(plan.actions == ["update team:research"])
        let change = plan.change(.team, "research")
        #expect(change?.id == "t-res")
        #expect(change?.body == ["maxBudgetCents": 5000])
        #expect(plan.unchanged == [ObjectRef(kind: .team, key: "ops")])
    }

    @Test("a model is one per (modelId, providerType): the same modelId on two provider types are two objects")
    func modelKeyIncludesProviderType() {
        let desired = Fixture.desired([
            Fixture.model("gpt-4o", type: "OPEN_AI"),
            Fixture.model("gpt-4o", type: "AZURE", extra: ["family": "gpt-4o"]),
        ])
        let actual = Fixture.actual([
            Fixture.read(.model, id: "m-oa", ["modelId": "gpt-4o", "displayName": "gpt-4o", "providerType": "OPEN_AI", "description": Fixture.owned("model gpt-4o")]),
            Fixture.read(.model, id: "m-az", ["modelId": "gpt-4o", "displayName": "gpt-4o", "providerType": "AZURE", "description": Fixture.owned("model gpt-4o")]),
        ])
        let plan = Differ.plan(desired: desired, actual: actual)
        #expect(plan.actions == ["update model:gpt-4o|AZURE"])
        #expect(plan.change(.model, "gpt-4o|AZURE")?.id == "m-az")
        #expect(plan.change(.model, "gpt-4o|AZURE")?.body == ["family": "gpt-4o"])
    }

    @Test("a missing object is created, with its links and dependencies")
    func createsMissing() throws {
        let desired = Fixture.desired([Fixture.integration("openai"), Fixture.provider("openai", integration: "openai")])
        let plan = Differ.plan(desired: desired, actual: Fixture.actual([]), secrets: Fixture.secrets([("openai", "sk-1")]))
        #expect(plan.actions == ["create integration:openai", "create provider:openai"])
        let provider = try #require(plan.change(.provider, "openai"))
        #expect(provider.links == ["integrationId": ObjectRef(kind: .integration, key: "openai")])
        #expect(provider.dependsOn == [ObjectRef(kind: .integration, key: "openai")])
        #expect(provider.body["integrationId"] == nil)
        let integration = try #require(plan.change(.integration, "openai"))
        #expect(integration.secretFields == ["apiKey"])
        #expect(integration.body["apiKey"] == nil, "the secret goes in at apply time, never into the plan")
    }

    @Test("server-owned fields are ignored")
    func ignoresServerOwnedFields() {
        let desired = Fixture.desired([Fixture.provider("openai", integration: "openai", rateLimits: ["rpm": 500])])
        let actual = Fixture.actual([
            Fixture.read(.integration, id: "i-1", ["name": "openai", "description": Fixture.owned("x"), "keyHint": "abcd", "verified": true]),
            Fixture.read(.provider, id: "p-1", [
                "slug": "openai", "name": "openai", "providerType": "openai", "description": Fixture.owned("provider openai"),
                "integrationId": "i-1", "rateLimits": ["rpm": 500], "status": "HEALTHY", "enabled": true,
                "currentMonthCostCents": 1234, "currentMonthTokens": 99, "lastHealthCheck": "2025-01-03T00:00:00Z", "createdBy": "admin",
            ]),
        ])
        let plan = Differ.plan(desired: desired, actual: actual)
        #expect(plan.isEmpty, "\(plan.actions)")
    }

    @Test("set-like arrays compare without order; ordered values do not")
    func setLikeArrays() {
        let desired = Fixture.desired([
            Fixture.provider("openai", integration: "openai", tags: ["a", "b", "c"]),
            Fixture.key("svc", models: ["gpt-4o", "gpt-4o-mini"]),
        ])
        let actual = Fixture.actual([
            Fixture.read(.integration, id: "i-1", ["name": "openai", "description": Fixture.owned("x")]),
            Fixture.read(.provider, id: "p-1", [
                "slug": "openai", "name": "openai", "providerType": "openai", "description": Fixture.owned("provider openai"),
                "integrationId": "i-1", "tags": ["c", "a", "b"],
            ]),
            Fixture.read(.virtualKey, id: "k-1", [
                "name": "svc", "description": Fixture.owned("key svc"), "allowedModels": ["gpt-4o-mini", "gpt-4o"],
                "allowedIps": [], "apiKeyIds": [],
            ]),
        ])
        #expect(Differ.plan(desired: desired, actual: actual).isEmpty)

        // A real difference in a set-like array is still found.
        let changed = Fixture.desired([Fixture.provider("openai", integration: "openai", tags: ["a", "b", "d"])])
        let plan = Differ.plan(desired: changed, actual: actual)
        #expect(plan.change(.provider, "openai")?.body == ["tags": ["a", "b", "d"]])
    }

    @Test("integers and doubles are equal by value, also nested")
    func numbersByValue() {
        let desired = Fixture.desired([
            Fixture.model("gpt-4o", extra: ["pricing": ["inputPer1k": 0.0025, "outputPer1k": 0.01, "cached": 1], "limits": ["maxInputTokens": 128000]]),
        ])
        let actual = Fixture.actual([
            Fixture.read(.model, id: "m-1", [
                "modelId": "gpt-4o", "displayName": "gpt-4o", "providerType": "OPEN_AI", "description": Fixture.owned("model gpt-4o"),
                "pricing": ["inputPer1k": 0.0025, "outputPer1k": 0.01, "cached": 1.0], "limits": ["maxInputTokens": 128000.0],
            ]),
        ])
        #expect(Differ.plan(desired: desired, actual: actual).isEmpty)
        let other = Fixture.desired([Fixture.model("gpt-4o", extra: ["pricing": ["inputPer1k": 0.003, "outputPer1k": 0.01, "cached": 1], "limits": ["maxInputTokens": 128000]])])
        #expect(Differ.plan(desired: other, actual: actual).actions == ["update model:gpt-4o|OPEN_AI"])
    }

    @Test("a field the config leaves out equals the contract's default, either way round")
    func contractDefaults() {
        // Gateway filled in the defaults (modelType CHAT, status AVAILABLE, priority 0) the config did not set.
        let desired = Fixture.desired([Fixture.model("gpt-4o"), Fixture.provider("openai", integration: "openai")])
        let actual = Fixture.actual([
            Fixture.read(.integration, id: "i-1", ["name": "openai", "description": Fixture.owned("x")]),
            Fixture.read(.model, id: "m-1", [
                "modelId": "gpt-4o", "displayName": "gpt-4o", "providerType": "OPEN_AI", "description": Fixture.owned("model gpt-4o"),
                "modelType": "CHAT", "status": "AVAILABLE", "capabilities": [:], "limits": [:], "isCustom": true,
            ]),
            Fixture.read(.provider, id: "p-1", [
                "slug": "openai", "name": "openai", "providerType": "openai", "description": Fixture.owned("provider openai"),
                "integrationId": "i-1", "priority": 0, "tags": [], "budget": nil,
            ]),
        ])
        let plan = Differ.plan(desired: desired, actual: actual)
        #expect(plan.isEmpty, "\(plan.actions) \(plan.changes.map(\.fields))")

        // The config spelling out the default where the gateway left the field out is no change either.
        let explicit = Fixture.desired([Fixture.model("gpt-4o", extra: ["modelType": "CHAT"])])
        let bare = Fixture.actual([
            Fixture.read(.model, id: "m-1", ["modelId": "gpt-4o", "displayName": "gpt-4o", "providerType": "OPEN_AI", "description": Fixture.owned("model gpt-4o")]),
        ])
        let second = Differ.plan(desired: explicit, actual: bare)
        #expect(second.isEmpty, "\(second.changes.map(\.fields))")
    }

    @Test("a field removed from the config is cleared where the contract allows, and only then")
    func clearsRemovedFields() throws {
        let actual = Fixture.actual([
            Fixture.read(.team, id: "t-1", [
                "name": "research", "description": Fixture.owned("team research"), "maxBudgetCents": 5000, "budgetPeriod": "monthly",
            ]),
            Fixture.read(.integration, id: "i-1", ["name": "openai", "description": Fixture.owned("x")]),
            Fixture.read(.provider, id: "p-1", [
                "slug": "openai", "name": "openai", "providerType": "openai", "description": Fixture.owned("provider openai"),
                "integrationId": "i-1", "rateLimits": ["rpm": 100],
            ]),
        ])
        let desired = Fixture.desired([Fixture.team("research"), Fixture.provider("openai", integration: "openai")])
        let plan = Differ.plan(desired: desired, actual: actual)
        let provider = try #require(plan.change(.provider, "openai"))
        #expect(provider.body == ["rateLimits": [:]])
        // budgetPeriod is an enum: "" is not a value the gateway accepts, so it cannot be cleared by an update.
        for change in plan.changes where change.action == .update {
            let problems = ContractSchemas.validate(.object(change.body), against: change.ref.kind.updateSchema)
            #expect(problems.isEmpty, "\(change.ref): \(problems) \(change.body)")
        }
    }
}

@Suite("Differ: ownership, prune and replace")
struct DifferOwnershipTests {
    static let unownedTeam = Fixture.read(.team, id: "t-1", ["name": "research", "description": "made by hand", "maxBudgetCents": 100])

    @Test("an unowned object with a configured name is a conflict, never an update")
    func unownedIsConflict() {
        let desired = Fixture.desired([Fixture.team("research", budget: 5000)])
        let plan = Differ.plan(desired: desired, actual: Fixture.actual([Self.unownedTeam]), options: DiffOptions(prune: true))
        #expect(plan.changes.isEmpty)
        #expect(plan.conflicts.map(\.ref) == [ObjectRef(kind: .team, key: "research")])
        #expect(plan.conflicts.first?.reason.contains("--adopt") == true)
        #expect(PlanRenderer.text(plan).contains("! team research"))
    }

    @Test("an unowned object outside the config is never deleted, not even with prune")
    func unownedNeverDeleted() {
        let plan = Differ.plan(desired: Fixture.desired([]), actual: Fixture.actual([Self.unownedTeam]), options: DiffOptions(prune: true))
        #expect(plan.changes.isEmpty)
        #expect(plan.orphans.isEmpty)
        #expect(plan.ownedCount == 0)
    }

    @Test("adopt takes an unowned object over: it is updated and gets the marker")
    func adoptTakesOver() throws {
        let desired = Fixture.desired([Fixture.team("research", budget: 5000)])
        let plan = Differ.plan(desired: desired, actual: Fixture.actual([Self.unownedTeam]), options: DiffOptions(adopt: true))
        #expect(plan.conflicts.isEmpty)
        let change = try #require(plan.change(.team, "research"))
        #expect(change.action == .update)
        #expect(change.id == "t-1")
        #expect(change.body["maxBudgetCents"] == 5000)
        #expect(change.body["description"]?.stringValue?.hasSuffix(Ownership.marker) == true)
    }

    @Test("prune deletes only owned objects, children before parents")
    func pruneOrder() {
        let actual = Fixture.actual([
            Fixture.read(.integration, id: "i-1", ["name": "old", "description": Fixture.owned("x")]),
            Fixture.read(.provider, id: "p-1", ["slug": "old", "name": "old", "providerType": "openai", "integrationId": "i-1", "description": Fixture.owned("p")]),
            Fixture.read(.model, id: "m-1", ["modelId": "old-model", "displayName": "m", "providerType": "OPEN_AI", "description": Fixture.owned("m")]),
            Fixture.read(.team, id: "t-1", ["name": "old-team", "description": Fixture.owned("t")]),
            Fixture.read(.virtualKey, id: "k-1", ["name": "old-key", "description": Fixture.owned("k")]),
            Fixture.read(.team, id: "t-2", ["name": "hand-made", "description": "not ours"]),
            Fixture.read(.team, id: "t-3", ["name": "kept", "description": Fixture.owned("t")]),
        ])
        let desired = Fixture.desired([Fixture.team("kept", description: "t")])
        let plan = Differ.plan(desired: desired, actual: actual, options: DiffOptions(prune: true))
        #expect(plan.actions == [
            "delete virtual_key:old-key", "delete team:old-team", "delete model:old-model|OPEN_AI", "delete provider:old",
            "delete integration:old",
        ])
        #expect(plan.changes.allSatisfy { $0.id != "t-2" && $0.id != "t-3" })
        #expect(plan.ownedCount == 6)

        let noPrune = Differ.plan(desired: desired, actual: actual)
        #expect(noPrune.changes.isEmpty)
        #expect(noPrune.orphans.count == 5)
        #expect(!noPrune.orphans.contains(ObjectRef(kind: .team, key: "hand-made")))
        #expect(PlanRenderer.text(noPrune).contains("--prune deletes it"))
    }

    @Test("a pruned child team is deleted before its parent team")
    func pruneTeamsChildFirst() throws {
        let actual = Fixture.actual([
            Fixture.read(.team, id: "t-parent", ["name": "zeta-parent", "description": Fixture.owned("t")]),
            Fixture.read(.team, id: "t-child", ["name": "alpha-child", "parentTeamId": "t-parent", "description": Fixture.owned("t")]),
        ])
        let plan = Differ.plan(desired: Fixture.desired([]), actual: actual, options: DiffOptions(prune: true))
        #expect(plan.actions == ["delete team:alpha-child", "delete team:zeta-parent"])
        let parent = try #require(plan.change(.team, "zeta-parent"))
        #expect(parent.dependsOn == [ObjectRef(kind: .team, key: "alpha-child")])
    }

    @Test("a change to a field the update request lacks replaces the object")
    func immutableFieldReplaces() throws {
        let desired = Fixture.desired([Fixture.model("text-embedding-3-small", extra: ["modelType": "EMBEDDING"])])
        let actual = Fixture.actual([
            Fixture.read(.model, id: "m-1", [
                "modelId": "text-embedding-3-small", "displayName": "text-embedding-3-small", "providerType": "OPEN_AI",
                "description": Fixture.owned("model text-embedding-3-small"), "modelType": "CHAT",
            ]),
        ])
        let change = try #require(Differ.plan(desired: desired, actual: actual).changes.first)
        #expect(change.action == .replace)
        #expect(change.id == "m-1")
        #expect(change.body["modelType"] == "EMBEDDING")
        #expect(ContractSchemas.validate(.object(change.body), against: ResourceKind.model.createSchema).isEmpty)
    }

    @Test("duplicate natural keys on the gateway are reported")
    func duplicates() {
        let actual = Fixture.actual([
            Fixture.read(.team, id: "t-1", ["name": "research", "description": Fixture.owned("team research")]),
            Fixture.read(.team, id: "t-2", ["name": "research", "description": Fixture.owned("team research")]),
        ])
        let plan = Differ.plan(desired: Fixture.desired([Fixture.team("research")]), actual: actual, options: DiffOptions(prune: true))
        #expect(plan.conflicts.map(\.ref) == [ObjectRef(kind: .team, key: "research")])
        #expect(plan.changes.isEmpty)
    }

    @Test("the tenant tier is set when it is only the default, and left when it matches")
    func tier() {
        let desired = Fixture.desired([DesiredObject(kind: .rateLimitTier, key: "acme", fields: ["tier": "pro"])])
        let implicit = Fixture.actual([Fixture.read(.rateLimitTier, id: "x", ["tenantId": "acme", "tier": "pro", "explicit": false])])
        #expect(Differ.plan(desired: desired, actual: implicit).actions == ["update rate_limit_tier:acme"])
        let explicit = Fixture.actual([Fixture.read(.rateLimitTier, id: "x", ["tenantId": "acme", "tier": "pro", "explicit": true])])
        #expect(Differ.plan(desired: desired, actual: explicit).isEmpty)
        let other = Fixture.actual([Fixture.read(.rateLimitTier, id: "x", ["tenantId": "acme", "tier": "starter", "explicit": true])])
        #expect(Differ.plan(desired: desired, actual: other).change(.rateLimitTier, "acme")?.body == ["tier": "pro"])
    }
}

@Suite("Differ: secrets by fingerprint")
struct DifferSecretTests {
    static func integrationOnGateway(secret: String) -> ActualObject {
        Fixture.read(.integration, id: "i-1", [
            "name": "openai", "providerType": "OPEN_AI", "description": Fixture.owned("credential openai"),
            "config": Fixture.fingerprinted("openai", secret: secret), "keyHint": .string(String(secret.suffix(4))),
        ])
    }

    @Test("an unchanged key is no change")
    func sameKey() {
        let plan = Differ.plan(
            desired: Fixture.desired([Fixture.integration("openai")]), actual: Fixture.actual([Self.integrationOnGateway(secret: "sk-old-AAAA")]),
            secrets: Fixture.secrets([("openai", "sk-old-AAAA")]))
        #expect(plan.isEmpty, "\(plan.changes.map(\.fields))")
    }

    @Test("a changed key shows as apiKey: (changed), and its value nowhere")
    func changedKey() throws {
        let newKey = "sk-new-SECRETVALUE-4242"
        let plan = Differ.plan(
            desired: Fixture.desired([Fixture.integration("openai")]), actual: Fixture.actual([Self.integrationOnGateway(secret: "sk-old-AAAA")]),
            secrets: Fixture.secrets([("openai", newKey)]))
        let change = try #require(plan.change(.integration, "openai"))
        #expect(change.action == .update)
        #expect(change.secretFields == ["apiKey"])
        #expect(change.fields.contains { $0.path == "apiKey" && $0.sensitive })
        #expect(change.body["apiKey"] == nil)
        // The new fingerprint goes with the update, so the next diff is empty.
        #expect(change.body["config"]?[Ownership.integrationConfigField]?["apiKeyFingerprint"]
            == .string(SecretFingerprint.of(newKey, object: ObjectRef(kind: .integration, key: "openai"), field: "apiKey")))
        let text = PlanRenderer.text(plan)
        #expect(text.contains("~ apiKey: (changed)"))
        for rendering in [text, PlanRenderer.markdown(plan), PlanRenderer.json(plan).serialized()] {
            #expect(!rendering.contains("SECRETVALUE"))
            #expect(!rendering.contains("sk-old"))
            #expect(!rendering.contains("hmac-sha256"), "the fingerprint bookkeeping is hidden")
        }
    }

    @Test("a key whose value is not available is not compared and not changed")
    func unknownKey() {
        let plan = Differ.plan(
            desired: Fixture.desired([Fixture.integration("openai")]), actual: Fixture.actual([Self.integrationOnGateway(secret: "sk-old-AAAA")]))
        #expect(plan.isEmpty)
        #expect(plan.uncomparedSecrets == ["integration openai apiKey"])
    }

    @Test("a settings change with an unknown key keeps the stored fingerprint")
    func settingsChangeKeepsFingerprint() throws {
        let plan = Differ.plan(
            desired: Fixture.desired([Fixture.integration("openai", config: ["apiVersion": "2024-10-21"])]),
            actual: Fixture.actual([Self.integrationOnGateway(secret: "sk-old-AAAA")]))
        let change = try #require(plan.change(.integration, "openai"))
        #expect(change.secretFields.isEmpty)
        #expect(change.body["config"] == Fixture.fingerprinted("openai", secret: "sk-old-AAAA", config: ["apiVersion": "2024-10-21"]))
    }

    @Test("fingerprints are keyed by object and field, and never contain the key")
    func fingerprint() {
        let a = SecretFingerprint.of("sk-same", object: ObjectRef(kind: .integration, key: "a"), field: "apiKey")
        let b = SecretFingerprint.of("sk-same", object: ObjectRef(kind: .integration, key: "b"), field: "apiKey")
        #expect(a != b)
        #expect(a == SecretFingerprint.of("sk-same", object: ObjectRef(kind: .integration, key: "a"), field: "apiKey"))
        #expect(!a.contains("sk-same"))
    }

    @Test("renderers of a create show (sensitive), never a literal key")
    func createRendering() {
        let literal = "sk-literal-TOPSECRET-123"
        let desired = Fixture.desired([Fixture.integration("openai", secret: .literal(Secret(literal)))])
        let plan = Differ.plan(desired: desired, actual: Fixture.actual([]), secrets: Fixture.secrets([("openai", literal)]))
        let text = PlanRenderer.text(plan)
        #expect(text.contains("+ apiKey: (sensitive)"))
        let json = PlanRenderer.json(plan)
        for rendering in [text, PlanRenderer.markdown(plan), json.serialized(), "\(plan)"] {
            #expect(!rendering.contains("TOPSECRET"))
        }
        #expect(json["counts"]?["create"] == 1)
    }
}

@Suite("Differ: routing config")
struct DifferRoutingTests {
    static let handRule: JSONValue = ["modelPattern": "claude-*", "routeTo": "claude-sonnet", "priority": 200]

    static func gateway(rules: [JSONValue], strategy: String = "cost_optimized") -> ActualState {
        Fixture.actual([Fixture.read(.routingConfig, id: "routing", [
            "strategy": .string(strategy), "rules": .array(rules), "weights": ["a": 0.5, "b": 0.5],
        ])])
    }

    @Test("only owned rules are compared; unowned rules and other settings are preserved")
    func ownedRulesOnly() throws {
        let stale = Fixture.ownedRule("gpt-4", to: "gpt-4o-old")
        let wanted = Fixture.ownedRule("gpt-4", to: "gpt-4o")
        let plan = Differ.plan(desired: Fixture.desired([Fixture.routing(rules: [wanted])]), actual: Self.gateway(rules: [Self.handRule, stale]))
        let change = try #require(plan.change(.routingConfig, "routing"))
        #expect(change.action == .update)
        #expect(change.body["rules"] == [Self.handRule, wanted])
        #expect(change.body["weights"] == ["a": 0.5, "b": 0.5])
        #expect(change.body["strategy"] == "cost_optimized")
        #expect(Set(change.fields.map { "\($0.before == nil ? "+" : "-")\($0.after?["routeTo"]?.stringValue ?? $0.before?["routeTo"]?.stringValue ?? "")" }) == ["-gpt-4o-old", "+gpt-4o"])
        #expect(ContractSchemas.validate(.object(change.body), against: "RoutingConfigRequest").isEmpty)
    }

    @Test("unowned rules never cause a change; owned rules compare without order")
    func unchanged() {
        let a = Fixture.ownedRule("gpt-4o", to: "gpt-4o", weight: 60)
        let b = Fixture.ownedRule("gpt-4o", to: "gpt-4o-eastus", weight: 40)
        let plan = Differ.plan(desired: Fixture.desired([Fixture.routing(rules: [a, b])]), actual: Self.gateway(rules: [b, Self.handRule, a]))
        #expect(plan.isEmpty, "\(plan.changes.map(\.fields))")
    }

    @Test("a strategy change alone is an update keeping every rule")
    func strategyChange() throws {
        let a = Fixture.ownedRule("gpt-4o", to: "gpt-4o")
        let plan = Differ.plan(
            desired: Fixture.desired([Fixture.routing(strategy: "latency_sensitive", rules: [a])]),
            actual: Self.gateway(rules: [Self.handRule, a]))
        let change = try #require(plan.change(.routingConfig, "routing"))
        #expect(change.fields.map(\.path) == ["strategy"])
        #expect(change.body["rules"] == [Self.handRule, a])
    }

    @Test("owned rules left behind by an emptied config: orphan without prune, removed with it")
    func routingPrune() throws {
        let owned = Fixture.ownedRule("gpt-4", to: "gpt-4o")
        let actual = Self.gateway(rules: [Self.handRule, owned])
        let keep = Differ.plan(desired: Fixture.desired([]), actual: actual)
        #expect(keep.changes.isEmpty)
        #expect(keep.orphans == [ObjectRef(kind: .routingConfig, key: "routing")])
        let prune = Differ.plan(desired: Fixture.desired([]), actual: actual, options: DiffOptions(prune: true))
        let change = try #require(prune.change(.routingConfig, "routing"))
        #expect(change.body["rules"] == [Self.handRule])
        #expect(change.body["weights"] == ["a": 0.5, "b": 0.5])
    }
}

@Suite("DeletionGuard")
struct DeletionGuardTests {
    static func plan(owned: Int, deleting: Int) -> Plan {
        var objects: [ActualObject] = []
        for i in 0..<owned {
            objects.append(Fixture.read(.team, id: "t-\(i)", ["name": .string("team-\(i)"), "description": Fixture.owned("t")]))
        }
        let kept = (deleting..<owned).map { Fixture.team("team-\($0)", description: "t") }
        return Differ.plan(desired: Fixture.desired(kept), actual: Fixture.actual(objects), options: DiffOptions(prune: true))
    }

    @Test("refuses deleting every owned object, however few")
    func all() throws {
        for n in [1, 2, 10] {
            let p = Self.plan(owned: n, deleting: n)
            #expect(p.count(.delete) == n)
            let reason = try #require(DeletionGuard().refusal(for: p))
            #expect(reason.contains("--allow-mass-delete"))
        }
    }

    @Test("refuses more than 25 % beyond the free deletes, allows the rest", arguments: [
        (20, 6, true), (20, 5, false), (10, 3, false), (10, 4, true), (4, 3, false), (100, 25, false), (100, 26, true), (5, 0, false),
    ])
    func share(owned: Int, deleting: Int, refused: Bool) {
        let p = Self.plan(owned: owned, deleting: deleting)
        #expect(p.count(.delete) == deleting)
        #expect((DeletionGuard().refusal(for: p) != nil) == refused)
    }
}

@Suite("Differ: dependency order")
struct DifferDependencyTests {
    @Test("a sub-team is created after its parent, whatever their names")
    func parentsFirst() throws {
        let desired = Fixture.desired([Fixture.team("zeta-parent"), Fixture.team("alpha-child", parent: "zeta-parent")])
        let plan = Differ.plan(desired: desired, actual: Fixture.actual([]))
        #expect(plan.actions == ["create team:zeta-parent", "create team:alpha-child"])
        #expect(plan.change(.team, "alpha-child")?.dependsOn == [ObjectRef(kind: .team, key: "zeta-parent")])
    }

    @Test("objects linking to a replaced object are re-pointed at its new id in the same pass")
    func replacedParentRelinks() throws {
        // The integration's providerType cannot be updated: it is replaced, and gets a new id.
        var integration = Fixture.integration("openai")
        integration.fields["providerType"] = "AZURE"
        let desired = Fixture.desired([integration, Fixture.provider("openai", integration: "openai")])
        let actual = Fixture.actual([
            Fixture.read(.integration, id: "i-old", [
                "name": "openai", "providerType": "OPEN_AI", "description": Fixture.owned("credential openai"),
                "config": Fixture.fingerprinted("openai", secret: "sk-1"),
            ]),
            Fixture.read(.provider, id: "p-1", [
                "slug": "openai", "name": "openai", "providerType": "openai", "description": Fixture.owned("provider openai"),
                "integrationId": "i-old",
            ]),
        ])
        let plan = Differ.plan(desired: desired, actual: actual, secrets: Fixture.secrets([("openai", "sk-1")]))
        #expect(plan.actions == ["replace integration:openai", "update provider:openai"])
        let provider = try #require(plan.change(.provider, "openai"))
        #expect(provider.links == ["integrationId": ObjectRef(kind: .integration, key: "openai")])
        #expect(provider.dependsOn == [ObjectRef(kind: .integration, key: "openai")])
        #expect(provider.id == "p-1")
        #expect(!plan.unchanged.contains(ObjectRef(kind: .provider, key: "openai")))
        let replace = try #require(plan.change(.integration, "openai"))
        #expect(replace.secretFields == ["apiKey"], "the new object needs its key")
        #expect(replace.body["apiKey"] == nil)
    }
}

@Suite("Differ: links to unowned objects")
struct DifferUnownedLinkTests {
    static let handIntegration = Fixture.read(.integration, id: "i-hand", ["name": "openai", "providerType": "OPEN_AI", "description": "by hand"])

    @Test("an object linking to an unowned object is a conflict too, not written (it would use someone else's credential)")
    func dependantOfUnownedIsConflict() {
        let desired = Fixture.desired([
            Fixture.integration("openai"), Fixture.provider("openai", integration: "openai"), Fixture.model("gpt-4o"),
            Fixture.team("parent"), Fixture.team("child", parent: "parent"), Fixture.team("grandchild", parent: "child"),
        ])
        let actual = Fixture.actual([Self.handIntegration, Fixture.read(.team, id: "t-hand", ["name": "parent", "description": "by hand"])])
        let plan = Differ.plan(desired: desired, actual: actual, secrets: Fixture.secrets([("openai", "sk-1")]))
        #expect(plan.actions == ["create model:gpt-4o|OPEN_AI"])
        #expect(Set(plan.conflicts.map(\.ref)) == [
            ObjectRef(kind: .integration, key: "openai"), ObjectRef(kind: .provider, key: "openai"), ObjectRef(kind: .team, key: "parent"),
            ObjectRef(kind: .team, key: "child"), ObjectRef(kind: .team, key: "grandchild"),
        ])
        #expect(plan.conflicts.first { $0.ref.kind == .provider }?.reason.contains("integration openai") == true)
    }

    @Test("with adopt, both are managed")
    func adoptManagesBoth() {
        let desired = Fixture.desired([Fixture.integration("openai"), Fixture.provider("openai", integration: "openai")])
        let plan = Differ.plan(desired: desired, actual: Fixture.actual([Self.handIntegration]), secrets: Fixture.secrets([("openai", "sk-1")]), options: DiffOptions(adopt: true))
        #expect(plan.conflicts.isEmpty)
        #expect(plan.actions == ["update integration:openai", "create provider:openai"])
        #expect(plan.change(.integration, "openai")?.secretFields == ["apiKey"])
    }
}

@Suite("Differ: fields the config leaves to the contract's default")
struct DifferDefaultTests {
    static func gatewayModel(_ extra: JSONObject) -> ActualState {
        var fields: JSONObject = [
            "modelId": "text-embedding-3-small", "displayName": "text-embedding-3-small", "providerType": "OPEN_AI",
            "description": Fixture.owned("model text-embedding-3-small"),
        ]
        fields.merge(extra) { _, new in new }
        return Fixture.actual([Fixture.read(.model, id: "m-1", fields)])
    }

    @Test("a non-updatable field dropped from the config goes back to its default by replacement, not by an ignored update")
    func modelTypeBackToDefault() throws {
        let plan = Differ.plan(desired: Fixture.desired([Fixture.model("text-embedding-3-small")]), actual: Self.gatewayModel(["modelType": "EMBEDDING"]))
        let change = try #require(plan.changes.first)
        #expect(change.action == .replace, "\(plan.actions)")
        #expect(change.body["modelType"] == nil || change.body["modelType"] == "CHAT")
    }

    @Test("an updatable field changed on the gateway that the config leaves out is put back to the contract's default")
    func statusBackToDefault() throws {
        let plan = Differ.plan(desired: Fixture.desired([Fixture.model("text-embedding-3-small")]), actual: Self.gatewayModel(["status": "DEPRECATED"]))
        let change = try #require(plan.changes.first)
        #expect(change.action == .update)
        #expect(change.body == ["status": "AVAILABLE"])
    }

    @Test("no update sends a field its update request does not declare")
    func updatesOnlyDeclaredFields() {
        let actual = Self.gatewayModel(["modelType": "CHAT", "releaseDate": "2024-01-01T00:00:00Z", "status": "PREVIEW", "family": "x"])
        let plan = Differ.plan(desired: Fixture.desired([Fixture.model("text-embedding-3-small")]), actual: actual)
        for change in plan.changes where change.action == .update {
            let declared = ContractSchemas.declaredFields(of: change.ref.kind.updateSchema) ?? []
            #expect(Set(change.body.keys).isSubset(of: declared), "\(change.body)")
            #expect(ContractSchemas.validate(.object(change.body), against: change.ref.kind.updateSchema).isEmpty)
        }
        #expect(plan.changes.first?.body["family"] == "")
    }
}

@Suite("Differ: scale")
struct DifferScaleTests {
    @Test("thousands of objects diff quickly (no quadratic passes)", .timeLimit(.minutes(1)))
    func manyObjects() {
        let n = 4000
        var actual: [ActualObject] = []
        var desired: [DesiredObject] = []
        for i in 0..<n {
            actual.append(Fixture.read(.team, id: "t-\(i)", [
                "name": .string("team-\(i)"), "description": Fixture.owned("t"), "maxBudgetCents": .int(i % 2 == 0 ? 100 : 200),
                "parentTeamId": i > 0 ? .string("t-\(i - 1)") : .null,
            ]))
            if i < n / 2 { desired.append(Fixture.team("team-\(i)", description: "t", budget: 100, parent: i > 0 ? "team-\(i - 1)" : nil)) }
            desired.append(Fixture.team("new-\(i)", parent: i > 0 ? "new-\(i - 1)" : nil))
        }
        let clock = ContinuousClock()
        var plan: Plan?
        let elapsed = clock.measure {
            plan = Differ.plan(desired: Fixture.desired(desired), actual: Fixture.actual(actual), options: DiffOptions(prune: true))
        }
        #expect(plan?.count(.create) == n)
        #expect(plan?.count(.delete) == n / 2)
        #expect(plan?.count(.update) == n / 4)
        // Each new sub-team after its parent; each pruned parent after its child.
        let order = Dictionary(uniqueKeysWithValues: (plan?.changes ?? []).enumerated().map { ($1.ref, $0) })
        for change in plan?.changes ?? [] {
            for dependency in change.dependsOn { if let d = order[dependency] { #expect(d < order[change.ref]!) } }
        }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }
}
