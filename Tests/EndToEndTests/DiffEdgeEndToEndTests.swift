import Diff
import Foundation
import Mapping
import Reconciler
import SynapseContract
import SynapseSimulator
import Testing

@Suite("End to end: removals and hierarchies", .serialized, .timeLimit(.minutes(3)))
struct DiffEdgeEndToEndTests {
    static func removing(_ pieces: [String], from text: String) throws -> String {
        var out = text
        for piece in pieces {
            guard out.contains(piece) else { throw EditError(piece: piece) }
            out = out.replacingOccurrences(of: piece, with: "")
        }
        return out
    }

    struct EditError: Error, CustomStringConvertible {
        let piece: String
        var description: String { "the example no longer contains \(piece.debugDescription)" }
    }

    @Test("settings removed from the config are cleared where the contract allows, without failing writes, and converge")
    func removalsConverge() async throws {
        try await Harness.run { h in
            let original = try String(contentsOfFile: examplePath("openai-azure-multiregion"), encoding: .utf8)
            let path = try h.writeConfig(original)
            #expect(await h.pass(try h.map(path)).status == .applied)
            let handRule: JSONValue = ["modelPattern": "legacy-*", "routeTo": "gpt-4o-mini", "priority": 10]
            var routing = try await h.http.send("GET", ResourceKind.routingConfig.collectionPath).json
            routing = ["strategy": routing["strategy"]!, "rules": .array((routing["rules"]?.arrayValue ?? []) + [handRule])]
            #expect(try await h.http.send("PUT", ResourceKind.routingConfig.collectionPath, routing).status == 200)

            let smaller = try Self.removing([
                "      max_budget: 2000\n      budget_duration: monthly\n",  // the platform team's budget (an enum period)
                "      models: [gpt-4o, gpt-4o-mini]\n      rpm_limit: 600\n",  // the key's model list and rpm
                "  model_group_alias:\n    gpt-4: gpt-4o\n",  // the alias' routing rules
                "      tpm_limit: 500000\n",
            ], from: original)
            _ = try h.writeConfig(smaller)
            let mapping = try h.map(path)
            let result = await h.pass(mapping)
            #expect(result.status == .applied, "\(describe(result))")
            #expect(result.failures.isEmpty)
            for change in result.plan?.changes ?? [] where change.action == .update && change.ref.kind != .routingConfig {
                #expect(ContractSchemas.validate(.object(change.body), against: change.ref.kind.updateSchema).isEmpty, "\(change.ref): \(change.body)")
            }
            let key = try #require(try await h.object(.virtualKey, key: "search-prod"))
            #expect(key["allowedModels"] == [])
            let after = try await h.http.send("GET", ResourceKind.routingConfig.collectionPath).json
            let rules = after["rules"]?.arrayValue ?? []
            #expect(rules.contains(handRule), "the hand-made rule survives")
            #expect(!rules.contains { $0["modelPattern"] == "gpt-4" }, "the alias' rules are gone")

            let next = await h.pass(mapping, dryRun: true)
            #expect(next.status == .inSync, "\(describe(next))")
        }
    }

    @Test("pruning a team and its sub-team deletes the child first")
    func pruneHierarchy() async throws {
        try await Harness.run { h in
            let original = try String(contentsOfFile: examplePath("openai-azure-multiregion"), encoding: .utf8)
            let path = try h.writeConfig(original)
            #expect(await h.pass(try h.map(path)).status == .applied)
            let cut = try #require(original.range(of: "  teams:\n"))
            let keys = try #require(original.range(of: "  virtual_keys:\n"))
            _ = try h.writeConfig(String(original[..<cut.lowerBound]) + String(original[keys.lowerBound...]))
            let mapping = try h.map(path)
            #expect(mapping.desired.objects(of: .team).isEmpty)
            let result = await h.pass(mapping, prune: true)
            #expect(result.status == .applied, "\(describe(result))")
            let plan = try #require(result.plan)
            #expect(plan.actions == ["delete team:search", "delete team:platform"])
            #expect(plan.change(.team, "platform")?.dependsOn == [ObjectRef(kind: .team, key: "search")])
            #expect(try await h.objects(.team).isEmpty)
            #expect(await h.pass(mapping, prune: true, dryRun: true).status == .inSync)
        }
    }

    @Test("a team's parent changed on the gateway is put back")
    func parentDrift() async throws {
        try await Harness.run { h in
            let mapping = try h.map(examplePath("openai-azure-multiregion"))
            #expect(await h.pass(mapping).status == .applied)
            let other = try await h.http.send("POST", ResourceKind.team.collectionPath, ["name": "elsewhere", "description": "hand-made"])
            let otherID = try #require(other.json["id"]?.stringValue)
            let search = try #require(try await h.object(.team, key: "search"))
            let platform = try #require(try await h.object(.team, key: "platform"))
            let moved = try await h.http.send("PUT", ResourceKind.team.itemPath(id: search["id"]!.stringValue!), ["parentTeamId": .string(otherID)])
            #expect(moved.status == 200)
            let fix = await h.pass(mapping)
            #expect(fix.plan?.actions == ["update team:search"], "\(describe(fix))")
            #expect(fix.status == .applied, "\(describe(fix))")
            #expect(try await h.object(.team, key: "search")?["parentTeamId"] == platform["id"])
        }
    }

    @Test("a change to a field the update request lacks (modelType) replaces the model: one object, new id, converged")
    func replaceModel() async throws {
        try await Harness.run { h in
            let original = try String(contentsOfFile: examplePath("single-provider"), encoding: .utf8)
            let path = try h.writeConfig(original)
            #expect(await h.pass(try h.map(path)).status == .applied)
            let before = try #require(try await h.object(.model, key: "gpt-4o-mini|OPEN_AI"))
            let marker = "      mode: chat\n      input_cost_per_token"
            #expect(original.contains(marker))
            _ = try h.writeConfig(original.replacingOccurrences(of: marker, with: "      mode: completion\n      input_cost_per_token"))
            let mapping = try h.map(path)
            let result = await h.pass(mapping)
            #expect(result.status == .applied, "\(describe(result))")
            #expect(result.plan?.actions == ["replace model:gpt-4o-mini|OPEN_AI"])
            let after = try #require(try await h.object(.model, key: "gpt-4o-mini|OPEN_AI"))
            #expect(after["modelType"] == "COMPLETION")
            #expect(after["id"] != before["id"])
            #expect(duplicateKeys(in: try await h.state()).isEmpty)
            #expect(await h.pass(mapping, dryRun: true).status == .inSync)
        }
    }

    @Test("a mode dropped from the config returns the model to the contract's default type, and converges")
    func modeDropped() async throws {
        try await Harness.run { h in
            let original = try String(contentsOfFile: examplePath("single-provider"), encoding: .utf8)
            let path = try h.writeConfig(original)
            #expect(await h.pass(try h.map(path)).status == .applied)
            #expect(try await h.object(.model, key: "text-embedding-3-small|OPEN_AI")?["modelType"] == "EMBEDDING")
            _ = try h.writeConfig(try Self.removing(["    model_info:\n      mode: embedding\n"], from: original))
            let mapping = try h.map(path)
            let result = await h.pass(mapping)
            #expect(result.status == .applied, "\(describe(result))")
            #expect(try await h.object(.model, key: "text-embedding-3-small|OPEN_AI")?["modelType"] == "CHAT")
            let next = await h.pass(mapping, dryRun: true)
            #expect(next.status == .inSync, "\(describe(next))")
        }
    }

    @Test("a provider key rotated in the environment is sent again, shown only as (changed)")
    func keyRotation() async throws {
        try await Harness.run { h in
            let mapping = try h.map(examplePath("single-provider"))
            #expect(await h.pass(mapping).status == .applied)
            var rotated = TestSecrets.environment
            rotated["OPENAI_API_KEY"] = "sk-rotated-" + UUID().uuidString
            let diff = await h.pass(mapping, environment: rotated, dryRun: true)
            let plan = try #require(diff.plan)
            #expect(plan.actions.count == 1 && plan.actions[0].hasPrefix("update integration:"), "\(plan.actions)")
            let text = PlanRenderer.text(plan)
            #expect(text.contains("~ apiKey: (changed)"))
            #expect(!text.contains(rotated["OPENAI_API_KEY"]!))
            let apply = await h.pass(mapping, environment: rotated)
            #expect(apply.status == .applied, "\(describe(apply))")
            let integration = try #require(try await h.objects(.integration).first)
            #expect(integration["keyHint"]?.stringValue == String(rotated["OPENAI_API_KEY"]!.suffix(4)))
            #expect(await h.pass(mapping, environment: rotated, dryRun: true).status == .inSync)
            // The old key is now the changed one.
            #expect(await h.pass(mapping, dryRun: true).status == .changesPending)
        }
    }
}

extension Plan {
    func change(_ kind: ResourceKind, _ key: String) -> Change? { changes.first { $0.ref == ObjectRef(kind: kind, key: key) } }
}
