import Diff
import Foundation
import Mapping
import Reconciler
import SynapseContract
import SynapseSimulator
import Testing

@Suite("End to end: faults and secrets", .serialized, .timeLimit(.minutes(5)))
struct FaultsAndSecretsEndToEndTests {
    static func faults(holdSeconds: Double?) -> FaultOptions {
        var faults = FaultOptions()
        faults.errorRate = 0.1
        faults.rateLimitRate = 0.05
        faults.retryAfterSeconds = 1
        faults.commitThenTimeoutRate = 0.05
        faults.timeoutBehavior = holdSeconds.map { .hold(seconds: $0) } ?? .gatewayTimeout
        return faults
    }

    @Test("with ~20 % faults, repeated applies converge with no duplicates and nothing lost", arguments: [
        (UInt64(3), "openai-azure-multiregion"), (UInt64(8), "openai-azure-multiregion"), (UInt64(21), "anthropic-bedrock-vertex"),
        (UInt64(5), "includes-and-credentials"),
    ])
    func convergesUnderFaults(seed: UInt64, example: String) async throws {
        try await Harness.run(faults: Self.faults(holdSeconds: nil), seed: seed) { h in
            let mapping = try h.map(examplePath(example))
            var runs = 0
            var converged = false
            var lostSecrets: [String] = []
            var history: [String] = []
            while runs < 6 && !converged {
                runs += 1
                let result = await h.pass(mapping)
                history.append(describe(result))
                lostSecrets += result.failures.filter { $0.change.ref.kind == .virtualKey }.map(\.change.ref.key)
                converged = result.status == .inSync
            }
            #expect(converged, "not converged after \(runs) runs:\n\(history.joined(separator: "\n---\n"))")
            #expect(runs <= 4, "took \(runs) runs")

            await h.sim.setFaults(.none)
            let state = try await h.state()
            #expect(duplicateKeys(in: state).isEmpty, "\(duplicateKeys(in: state))")
            let faultCounts = try await h.stats()["faults"]?.objectValue ?? [:]
            #expect(!faultCounts.isEmpty, "faults were injected: \(faultCounts)")
            for object in mapping.desired.objects where object.kind != .routingConfig && object.kind != .rateLimitTier {
                #expect(try await h.object(object.kind, key: object.key) != nil, "\(object.ref) lost")
            }
            let diff = await h.pass(mapping, dryRun: true)
            #expect(diff.status == .inSync, "\(describe(diff))")

            // Every key's secret is either in the secrets file or was reported as lost (rotate it).
            let secretsFile = "\(h.scratch)/secrets.json"
            let saved = FileManager.default.contents(atPath: secretsFile).flatMap { try? JSONValue.parse(Array($0)) }?.objectValue ?? [:]
            for key in mapping.desired.objects(of: .virtualKey) {
                #expect(saved[key.key] != nil || lostSecrets.contains(key.key), "secret of \(key.key) silently lost")
            }
        }
    }

    @Test("with dropped connections before and after commit, repeated applies converge without duplicates", arguments: [UInt64(2), 4, 6])
    func convergesWithDroppedConnections(seed: UInt64) async throws {
        var faults = FaultOptions()
        faults.dropAfterCommitRate = 0.15
        faults.dropBeforeCommitRate = 0.1
        faults.errorRate = 0.1
        try await Harness.run(faults: faults, seed: seed) { h in
            let mapping = try h.map(examplePath("openai-azure-multiregion"))
            var history: [String] = []
            var last: ReconcileResult?
            repeat {
                last = await h.pass(mapping)
                history.append(describe(last!))
            } while history.count < 6 && last?.status != .inSync
            #expect(last?.status == .inSync, "\(history.joined(separator: "\n---\n"))")
            await h.sim.setFaults(.none)
            let stats = try await h.stats()
            #expect((stats["faults"]?["dropAfterCommit"]?.intValue ?? 0) + (stats["faults"]?["dropBeforeCommit"]?.intValue ?? 0) > 0)
            #expect(duplicateKeys(in: try await h.state()).isEmpty)
            #expect(await h.pass(mapping, dryRun: true).status == .inSync)
        }
    }

    @Test("a create that commits and then times out on the client is found again, not made twice")
    func commitThenClientTimeout() async throws {
        var faults = FaultOptions()
        faults.commitThenTimeoutRate = 0.7
        faults.timeoutBehavior = .hold(seconds: 3)
        try await Harness.run(faults: faults, seed: 4, clientTimeout: 0.5) { h in
            let mapping = try h.map(examplePath("single-provider"))
            var results: [ReconcileResult] = []
            for _ in 0..<6 {
                let result = await h.pass(mapping)
                results.append(result)
                if result.status == .inSync { break }
            }
            #expect(results.last?.status == .inSync, "\(results.map(describe).joined(separator: "\n---\n"))")
            await h.sim.setFaults(.none)
            #expect(duplicateKeys(in: try await h.state()).isEmpty)
            let stats = try await h.stats()
            #expect((stats["faults"]?["commitThenTimeout"]?.intValue ?? 0) > 0, "the fault was injected: \(stats) \(results.map(describe))")
            let recovered = results.map { $0.requests?.recoveredCreates ?? 0 }.reduce(0, +)
            #expect(recovered > 0, "a create whose response timed out was found by natural key")
            let outcomes = results.flatMap(\.results)
            // A recovered create of any kind is `.recovered`, not a failure (only a virtual key can lose its secret).
            do {
                #expect(outcomes.filter { $0.outcome == .recovered }.count == recovered)
                for r in outcomes where r.change.ref.kind != .virtualKey {
                    if case .failed(let why) = r.outcome { Issue.record("\(r.change.ref) failed: \(why)") }
                }
            }
        }
    }

    @Test("no secret appears in any report, rendering or error; key secrets only in the 0600 secrets file")
    func secretsNeverLeak() async throws {
        try await Harness.run(faults: Self.faults(holdSeconds: nil), seed: 3) { h in
            let reports = "\(h.scratch)/reports"
            let secretsOut = "\(h.scratch)/out/key-secrets.json"
            var texts: [String] = []
            var results: [ReconcileResult] = []
            for example in ["openai-azure-multiregion", "anthropic-bedrock-vertex", "includes-and-credentials"] {
                let mapping = try h.map(examplePath(example))
                for mode in ["diff", "apply", "apply", "diff"] {
                    let result = await h.pass(mapping, dryRun: mode == "diff", secretsOut: secretsOut)
                    results.append(result)
                    try ReconcileReport.write(result, context: ReconcileContext(trigger: "cli", mode: mode, configFiles: mapping.files), to: reports)
                }
                // Rotate every provider key: the plan shows "(changed)", never the values.
                var rotated = TestSecrets.environment
                for (name, value) in TestSecrets.providerKeys { rotated[name] = value + "-ROTATED" }
                let rotation = await h.pass(mapping, environment: rotated, dryRun: true, secretsOut: secretsOut)
                results.append(rotation)
                let plan = try #require(rotation.plan, "\(describe(rotation))")
                #expect(PlanRenderer.text(plan).contains("apiKey: (changed)"), "\(describe(rotation))")
                try ReconcileReport.write(rotation, context: ReconcileContext(trigger: "cli", mode: "diff", configFiles: mapping.files), to: reports)
            }
            // Errors too: a wrong gateway key, an unset variable.
            let wrongKey = try GatewayClient(options: GatewayOptions(baseURL: h.sim.baseURL, apiKey: Secret("wrong-" + TestSecrets.gatewayKey), retry: .none))
            let unauthorised = await ReconcilePass.run(
                mapping: try h.map(examplePath("single-provider")), client: wrongKey,
                environment: EnvironmentResolver(processEnvironment: TestSecrets.environment), options: ReconcileOptions())
            #expect(unauthorised.status == .failed)
            results.append(unauthorised)
            var partial = TestSecrets.environment
            partial["OPENAI_API_KEY"] = nil
            results.append(await h.pass(try h.map(examplePath("openai-azure-multiregion")), environment: partial))

            for result in results {
                if let plan = result.plan { texts += [PlanRenderer.text(plan), PlanRenderer.markdown(plan), PlanRenderer.json(plan).serialized()] }
                texts.append(result.error ?? "")
                texts += result.warnings
                texts += result.results.map { "\($0.outcome)" }
                texts.append(String(describing: result))
                let context = ReconcileContext(trigger: "cli", mode: "apply", configFiles: [])
                texts += [ReconcileReport.markdown(result, context: context), ReconcileReport.json(result, context: context).serialized()]
            }
            let reportFiles = filesBelow(reports)
            #expect(reportFiles.count >= 10)
            texts += reportFiles.map(\.text)

            let saved = FileManager.default.contents(atPath: secretsOut).flatMap { try? JSONValue.parse(Array($0)) }?.objectValue ?? [:]
            let keySecrets = saved.values.compactMap(\.stringValue)
            #expect(!keySecrets.isEmpty, "the virtual key secret was written")
            #expect(posixMode(secretsOut) == 0o600)

            var forbidden = Array(TestSecrets.providerKeys.values) + [TestSecrets.gatewayKey] + keySecrets
            forbidden += TestSecrets.providerKeys.values.map { $0 + "-ROTATED" }
            for secret in forbidden {
                for (index, text) in texts.enumerated() where text.contains(secret) {
                    Issue.record("a secret (\(secret.prefix(8))…) appears in output #\(index): \(text.prefix(300))")
                }
            }
            // Only the secrets file holds the key secrets.
            for file in filesBelow(h.scratch) where file.path != secretsOut {
                for secret in keySecrets where file.text.contains(secret) { Issue.record("virtual key secret in \(file.path)") }
            }
            #expect(try await h.state().serialized().contains(TestSecrets.providerKeys["OPENAI_API_KEY"]!) == false)
        }
    }

    @Test("a credential setting read from the environment (aws_access_key_id) stays out of reports")
    func awsAccessKeyIdStaysOut() async throws {
        try await Harness.run { h in
            let mapping = try h.map(examplePath("anthropic-bedrock-vertex"))
            let result = await h.pass(mapping)
            #expect(result.status == .applied, "\(describe(result))")
            let text = ReconcileReport.markdown(result, context: ReconcileContext(trigger: "cli", mode: "apply", configFiles: mapping.files))
            // Values from os.environ/ are compared resolved but rendered as sensitive.
            do {
                #expect(!text.contains(TestSecrets.plain["AWS_ACCESS_KEY_ID"]!))
            }
        }
    }
}
