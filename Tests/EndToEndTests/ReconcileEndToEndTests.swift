import Diff
import Foundation
import Mapping
import Reconciler
import SynapseContract
import SynapseSimulator
import Testing

@Suite("End to end: reconcile against the simulator", .serialized, .timeLimit(.minutes(3)))
struct ReconcileEndToEndTests {
    @Test("initial apply converges; the next diff is empty; a second apply writes nothing", arguments: [
        "single-provider", "openai-azure-multiregion", "anthropic-bedrock-vertex", "includes-and-credentials",
    ])
    func convergesAndIsIdempotent(example: String) async throws {
        try await Harness.run { h in
            let mapping = try h.map(examplePath(example))
            let first = await h.pass(mapping)
            #expect(first.status == .applied, "\(describe(first))")
            #expect(first.failures.isEmpty)
            #expect(try await h.writes() > 0)

            let diff = await h.pass(mapping, dryRun: true)
            #expect(diff.status == .inSync, "\(describe(diff))")
            #expect(diff.plan?.isEmpty == true)
            #expect(writeRequests(diff) == 0)

            let writesBefore = try await h.writes()
            let second = await h.pass(mapping)
            #expect(second.status == .inSync, "\(describe(second))")
            #expect(second.results.isEmpty)
            #expect(writeRequests(second) == 0)
            #expect(try await h.writes() == writesBefore)
            #expect(duplicateKeys(in: try await h.state()).isEmpty)

            // Everything the config asks for is on the gateway.
            for object in mapping.desired.objects where object.kind != .routingConfig && object.kind != .rateLimitTier {
                #expect(try await h.object(object.kind, key: object.key) != nil, "\(object.ref) missing")
            }
        }
    }

    @Test("a config change is applied as the minimal set of updates")
    func minimalUpdates() async throws {
        try await Harness.run { h in
            let original = try String(contentsOfFile: examplePath("single-provider"), encoding: .utf8)
            let path = try h.writeConfig(original)
            let mapping = try h.map(path)
            #expect(await h.pass(mapping).status == .applied)
            let writesBefore = try await h.writes()

            // gpt-4o's rpm 500 → 700 (the provider's summed rateLimits) and max_output_tokens (the model's limits).
            let changed = original.replacingOccurrences(of: "rpm: 500", with: "rpm: 700")
                .replacingOccurrences(of: "max_output_tokens: 16384", with: "max_output_tokens: 32768")
            #expect(changed != original)
            _ = try h.writeConfig(changed)
            let result = await h.pass(try h.map(path))
            #expect(result.status == .applied, "\(describe(result))")
            let plan = try #require(result.plan)
            #expect(plan.changes.allSatisfy { $0.action == .update }, "\(plan.actions)")
            #expect(Set(plan.changes.map(\.ref.kind)) == [.provider, .model], "\(plan.actions)")
            #expect(plan.changes.count == 2, "\(plan.actions)")
            let provider = try #require(plan.changes.first { $0.ref.kind == .provider })
            #expect(provider.body == ["rateLimits": ["rpm": 1000, "tpm": 400000]])
            let model = try #require(plan.changes.first { $0.ref.kind == .model })
            #expect(model.ref.key == "gpt-4o|OPEN_AI")
            #expect(Array(model.body.keys) == ["limits"])
            #expect(model.body["limits"]?["maxOutputTokens"] == 32768 || model.body["limits"]?.serialized().contains("32768") == true)
            #expect(result.requests?.count(method: "PUT") == 2)
            #expect(result.requests?.count(method: "POST") == 0)
            #expect(result.requests?.count(method: "DELETE") == 0)
            #expect(try await h.writes() == writesBefore + 2)
            #expect(await h.pass(try h.map(path), dryRun: true).status == .inSync)
        }
    }

    @Test("out-of-band changes on the gateway are detected and corrected")
    func outOfBandDrift() async throws {
        try await Harness.run { h in
            let mapping = try h.map(examplePath("openai-azure-multiregion"))
            #expect(await h.pass(mapping).status == .applied)

            let provider = try #require(try await h.objects(.provider).first)
            let providerID = try #require(provider["id"]?.stringValue)
            let wantLimits = provider["rateLimits"]
            let edited = try await h.http.send("PUT", ResourceKind.provider.itemPath(id: providerID), ["rateLimits": ["rpm": 1]])
            #expect(edited.status == 200)

            let model = try #require(try await h.object(.model, key: "gpt-4o|OPEN_AI"))
            let modelID = try #require(model["id"]?.stringValue)
            let wantDescription = model["description"]
            let handDescription = "edited by hand " + Ownership.marker
            #expect(try await h.http.send("PUT", ResourceKind.model.itemPath(id: modelID), ["description": .string(handDescription)]).status == 200)

            // A hand-made routing rule added next to ours must survive the correction.
            let routing = try await h.http.send("GET", ResourceKind.routingConfig.collectionPath).json
            var rules = routing["rules"]?.arrayValue ?? []
            let handRule: JSONValue = ["modelPattern": "experimental-*", "routeTo": "gpt-4o-mini", "priority": 500]
            rules.append(handRule)
            #expect(try await h.http.send("PUT", ResourceKind.routingConfig.collectionPath, ["strategy": "quality_first", "rules": .array(rules)]).status == 200)

            let diff = await h.pass(mapping, dryRun: true)
            #expect(diff.status == .changesPending)
            let refs = Set(diff.plan?.changes.map(\.ref) ?? [])
            #expect(refs == [
                ObjectRef(kind: .provider, key: provider["slug"]!.stringValue!), ObjectRef(kind: .model, key: "gpt-4o|OPEN_AI"),
                ObjectRef(kind: .routingConfig, key: "routing"),
            ], "\(describe(diff))")

            let fix = await h.pass(mapping)
            #expect(fix.status == .applied, "\(describe(fix))")
            #expect(try await h.object(.provider, key: provider["slug"]!.stringValue!)?["rateLimits"] == wantLimits)
            #expect(try await h.object(.model, key: "gpt-4o|OPEN_AI")?["description"] == wantDescription)
            let after = try await h.http.send("GET", ResourceKind.routingConfig.collectionPath).json
            #expect(after["strategy"] == "cost_optimized")
            #expect(after["rules"]?.arrayValue?.contains(handRule) == true)
            #expect(await h.pass(mapping, dryRun: true).status == .inSync)
        }
    }

    @Test("unowned objects are left alone and reported as conflicts")
    func unownedConflicts() async throws {
        try await Harness.run { h in
            // Made by hand before the controller ever ran: one with a configured natural key, one unrelated.
            let handModel = try await h.http.send("POST", ResourceKind.model.collectionPath, [
                "modelId": "gpt-4o-mini", "displayName": "GPT-4o mini (hand-made)", "providerType": "OPEN_AI", "description": "curated by ops",
            ])
            #expect(handModel.status == 201 || handModel.status == 200)
            let handTeam = try await h.http.send("POST", ResourceKind.team.collectionPath, ["name": "ops", "description": "the ops team"])
            #expect(handTeam.status == 201 || handTeam.status == 200)
            let before = try await h.state()

            let mapping = try h.map(examplePath("single-provider"))
            let result = await h.pass(mapping, prune: true)
            #expect(result.status == .applied, "\(describe(result))")
            let conflicts = result.plan?.conflicts.map(\.ref) ?? []
            #expect(conflicts == [ObjectRef(kind: .model, key: "gpt-4o-mini|OPEN_AI")])
            #expect(result.warnings.contains { $0.contains("gpt-4o-mini") && $0.contains("--adopt") })
            #expect(!(result.plan?.changes.contains { $0.ref.key.hasPrefix("gpt-4o-mini") || $0.ref.key == "ops" } ?? true))

            // Untouched, field for field.
            let after = try await h.state()
            let modelBefore = before["models"]?.arrayValue?.first
            #expect(after["models"]?.arrayValue?.contains { $0["id"] == modelBefore?["id"] && $0 == modelBefore } == true)
            #expect(after["teams"] == before["teams"])
            #expect(duplicateKeys(in: after).isEmpty)

            // Still a conflict on the next run, never a write.
            let again = await h.pass(mapping, prune: true)
            #expect(again.status == .inSync, "\(describe(again))")
            #expect(writeRequests(again) == 0)
            #expect(again.plan?.conflicts.count == 1)

            // --adopt takes it over: one update, after which it is ours.
            let adopted = await h.pass(mapping, adopt: true)
            #expect(adopted.status == .applied, "\(describe(adopted))")
            #expect(adopted.plan?.actions == ["update model:gpt-4o-mini|OPEN_AI"])
            #expect(try await h.object(.model, key: "gpt-4o-mini|OPEN_AI")?["description"]?.stringValue?.hasSuffix(Ownership.marker) == true)
            #expect(await h.pass(mapping, dryRun: true).status == .inSync)
        }
    }

    @Test("a same-named hand-made integration: neither it nor the provider that would use it is written; adopt manages both")
    func unownedIntegration() async throws {
        try await Harness.run { h in
            let mapping = try h.map(examplePath("single-provider"))
            let name = try #require(mapping.desired.objects(of: .integration).first?.key)
            let made = try await h.http.send("POST", ResourceKind.integration.collectionPath, [
                "name": .string(name), "providerType": "OPEN_AI", "apiKey": "sk-hand-made-0000", "description": "by hand",
            ])
            #expect(made.status == 201)
            let result = await h.pass(mapping)
            #expect(result.status == .applied, "\(describe(result))")
            #expect(Set(result.plan?.conflicts.map(\.ref.kind) ?? []) == [.integration, .provider])
            #expect(try await h.objects(.provider).isEmpty, "no provider wired to a credential the config does not set")
            #expect(try await h.objects(.integration).first?["keyHint"] == "0000")

            let adopted = await h.pass(mapping, adopt: true)
            #expect(adopted.status == .applied, "\(describe(adopted))")
            let integration = try #require(try await h.objects(.integration).first)
            #expect(integration["keyHint"]?.stringValue == String(TestSecrets.providerKeys["OPENAI_API_KEY"]!.suffix(4)))
            #expect(try await h.objects(.provider).first?["integrationId"] == integration["id"])
            #expect(await h.pass(mapping, dryRun: true).status == .inSync)
        }
    }

    @Test("prune deletes only owned objects; the mass-delete guard refuses an emptied config")
    func pruneAndGuard() async throws {
        try await Harness.run { h in
            let handTeam = try await h.http.send("POST", ResourceKind.team.collectionPath, ["name": "ops", "description": "the ops team"])
            #expect(handTeam.status < 300)
            let original = try String(contentsOfFile: examplePath("openai-azure-multiregion"), encoding: .utf8)
            let path = try h.writeConfig(original)
            #expect(await h.pass(try h.map(path)).status == .applied)
            let ownedBefore = try await h.objects(.virtualKey).count + h.objects(.team).count

            // Remove the search team and the search-prod key: two deletions, within the guard.
            let cut = try #require(original.range(of: "    - name: search\n"))
            let keysStart = try #require(original.range(of: "  virtual_keys:"))
            let smaller = String(original[..<cut.lowerBound]) + String(original[keysStart.lowerBound...])
                .replacingOccurrences(of: "  virtual_keys:\n    - name: search-prod\n      description: Search service, production\n      models: [gpt-4o, gpt-4o-mini]\n      rpm_limit: 600\n      tpm_limit: 500000\n", with: "")
            _ = try h.writeConfig(smaller)
            let smallerMapping = try h.map(path)
            #expect(smallerMapping.desired.objects(of: .team).map(\.key) == ["platform"])
            #expect(smallerMapping.desired.objects(of: .virtualKey).isEmpty)

            let noPrune = await h.pass(smallerMapping)
            #expect(noPrune.status == .inSync, "\(describe(noPrune))")
            #expect(Set(noPrune.plan?.orphans ?? []) == [ObjectRef(kind: .team, key: "search"), ObjectRef(kind: .virtualKey, key: "search-prod")])

            let pruned = await h.pass(smallerMapping, prune: true)
            #expect(pruned.status == .applied, "\(describe(pruned))")
            #expect(pruned.plan?.actions == ["delete virtual_key:search-prod", "delete team:search"])
            #expect(try await h.object(.team, key: "search") == nil)
            #expect(try await h.object(.virtualKey, key: "search-prod") == nil)
            #expect(try await h.object(.team, key: "ops") != nil, "the hand-made team is never pruned")
            #expect(try await h.objects(.virtualKey).count + h.objects(.team).count == ownedBefore - 2)

            // An emptied config: the guard refuses before any write.
            let emptied = try h.writeConfig("model_list: []\n", name: "empty.yaml")
            let emptyMapping = try h.map(emptied)
            let writesBefore = try await h.writes()
            let refused = await h.pass(emptyMapping, prune: true)
            #expect(refused.status == .failed)
            #expect(refused.error?.contains("--allow-mass-delete") == true, "\(describe(refused))")
            #expect(writeRequests(refused) == 0)
            #expect(try await h.writes() == writesBefore)

            // Lifting the guard deletes what the controller owns, and nothing else.
            let forced = await h.pass(emptyMapping, prune: true, allowMassDelete: true)
            #expect(forced.status == .applied, "\(describe(forced))")
            for kind in [ResourceKind.integration, .provider, .model, .virtualKey] {
                #expect(try await h.objects(kind).isEmpty, "\(kind) left")
            }
            #expect(try await h.objects(.team).map { $0["name"] } == ["ops"])
            let routing = try await h.http.send("GET", ResourceKind.routingConfig.collectionPath).json
            #expect(routing["rules"]?.arrayValue?.contains { Differ.isOwnedRuleForTests($0) } == false)
        }
    }

    @Test("an unset os.environ variable stops the apply before any request, naming it")
    func unsetVariable() async throws {
        try await Harness.run { h in
            var environment = TestSecrets.environment
            environment["AZURE_WESTEUROPE_API_KEY"] = nil
            let result = await h.pass(try h.map(examplePath("openai-azure-multiregion")), environment: environment)
            #expect(result.status == .failed)
            let error = try #require(result.error)
            #expect(error.contains("AZURE_WESTEUROPE_API_KEY"))
            #expect(!error.contains("AZURE_EASTUS_API_KEY"), "only the unset variable is named")
            #expect(writeRequests(result) == 0)
            #expect(try await h.writes() == 0)
            #expect(try await h.stats()["total"] == 0, "nothing was even read")
        }
    }
}

extension Differ {
    /// Whether a routing rule carries the controller's owner field.
    static func isOwnedRuleForTests(_ rule: JSONValue) -> Bool {
        rule[Ownership.ruleOwnerField]?.stringValue == Ownership.ruleOwnerValue
    }
}

extension Plan {
    var actions: [String] { changes.map { "\($0.action.rawValue) \($0.ref.kind.rawValue):\($0.ref.key)" } }
}
