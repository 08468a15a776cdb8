import Diff
import Foundation
import Mapping
import Reconciler
import SynapseContract
import SynapseSimulator
import Testing

/// ReconcilePass against an in-process simulator, one behaviour per test.
@Suite("ReconcilePass", .serialized, .timeLimit(.minutes(2)))
struct ReconcilePassTests {
    static let key = "reconcile-pass-test-key"
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let environment = ["OPENAI_API_KEY": "sk-pass-openai", "AZURE_EASTUS_API_KEY": "az-pass-1", "AZURE_WESTEUROPE_API_KEY": "az-pass-2"]

    static func withGateway<T>(_ body: (RunningSimulator, GatewayClient) async throws -> T) async throws -> T {
        let sim = try await SynapseSimulator.start(options: SimulatorOptions(apiKey: Secret(key), seed: 3))
        do {
            let client = try GatewayClient(options: GatewayOptions(
                baseURL: sim.baseURL, apiKey: Secret(key), retry: RetryPolicy(baseDelaySeconds: 0.001, maxDelaySeconds: 0.01)))
            let result = try await body(sim, client)
            await sim.stop()
            return result
        } catch {
            await sim.stop()
            throw error
        }
    }

    static func map(_ example: String) throws -> MappingResult {
        try MappingPipeline.map(configPath: "\(root)/examples/\(example)/config.yaml", source: LocalFileSource())
    }

    static func run(_ mapping: MappingResult, _ client: GatewayClient, configure: (inout ReconcileOptions) -> Void = { _ in }) async -> ReconcileResult {
        var options = ReconcileOptions()
        configure(&options)
        return await ReconcilePass.run(mapping: mapping, client: client, environment: EnvironmentResolver(processEnvironment: environment), options: options)
    }

    static func writes(_ result: ReconcileResult) -> Int {
        ["POST", "PUT", "DELETE"].map { result.requests?.count(method: $0) ?? 0 }.reduce(0, +)
    }

    @Test("a dry run computes the plan and writes nothing")
    func dryRun() async throws {
        try await Self.withGateway { _, client in
            let result = await Self.run(try Self.map("single-provider"), client) { $0.dryRun = true }
            #expect(result.status == .changesPending)
            #expect(result.plan?.count(.create) ?? 0 > 0)
            #expect(result.results.isEmpty)
            #expect(Self.writes(result) == 0)
            #expect(result.requests?.count(method: "GET") ?? 0 > 0)
        }
    }

    @Test("a plan that creates virtual keys needs a secrets file, and stops before writing without one")
    func keysNeedSecretsFile() async throws {
        try await Self.withGateway { _, client in
            let mapping = try Self.map("openai-azure-multiregion")
            let refused = await Self.run(mapping, client)
            #expect(refused.status == .failed)
            #expect(refused.error?.contains("--secrets-out") == true)
            #expect(Self.writes(refused) == 0)

            let path = NSTemporaryDirectory() + "reconcile-pass-\(UUID().uuidString)/secrets.json"
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let applied = await Self.run(mapping, client) { $0.secretsOut = path }
            #expect(applied.status == .applied)
            #expect(applied.secretsWritten == ["search-prod"])
            let mode = (try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let saved = try JSONValue.parse(Array(try #require(FileManager.default.contents(atPath: path))))
            #expect(saved["search-prod"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("the secrets file keeps earlier entries and stays 0600")
    func secretsFileMerge() throws {
        let directory = NSTemporaryDirectory() + "reconcile-secrets-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/keys.json"
        try SecretsFile.merge(["a": Secret("sk-a")], into: path)
        try SecretsFile.merge(["b": Secret("sk-b")], into: path)
        let saved = try JSONValue.parse(Array(try #require(FileManager.default.contents(atPath: path))))
        #expect(saved == ["a": "sk-a", "b": "sk-b"])
        #expect((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? Int == 0o600)
    }

    @Test("the observer follows every page: 130 owned objects count, and the prune guard sees them all")
    func pagedObservation() async throws {
        try await Self.withGateway { sim, client in
            for i in 0..<130 {
                _ = try await client.create(.team, body: ["name": .string("bulk-\(i)"), "description": .string(Ownership.markedDescription("bulk"))])
            }
            let mapping = try Self.map("single-provider")
            let result = await Self.run(mapping, client) { $0.diff = DiffOptions(prune: true) }
            #expect(result.status == .failed, "130 deletions of 130 owned objects is refused")
            #expect(result.plan?.ownedCount == 130)
            #expect(result.plan?.count(.delete) == 130)
            #expect(result.error?.contains("130") == true)
            #expect(Self.writes(result) == 0)
            let orphans = await Self.run(mapping, client)
            #expect(orphans.plan?.orphans.count == 130)
        }
    }

    @Test("environment values: config environment_variables win over the process, which wins over --env-file")
    func environmentPrecedence() throws {
        let file = try EnvironmentResolver.parseEnvFile("# comment\nexport A=file\nB='file'\nC=\"file\"\nFLAG=TRUE\n\n", path: "x.env")
        #expect(file == ["A": "file", "B": "file", "C": "file", "FLAG": "TRUE"])
        let resolver = EnvironmentResolver(processEnvironment: ["A": "process", "B": "process"], envFile: file, configEnvironment: ["A": "config"])
        #expect(resolver.resolve(["a": "os.environ/A", "b": "os.environ/B", "c": "os.environ/C", "f": "os.environ/FLAG", "n": 3]) == [
            "a": "config", "b": "process", "c": "file", "f": true, "n": 3,
        ])
        #expect(throws: ConfigError.self) { try EnvironmentResolver.parseEnvFile("not a pair\n", path: "x.env") }
    }

    @Test("the report counts what happened and names no secret")
    func reportCounts() async throws {
        try await Self.withGateway { _, client in
            let path = NSTemporaryDirectory() + "reconcile-report-\(UUID().uuidString)/s.json"
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let result = await Self.run(try Self.map("openai-azure-multiregion"), client) { $0.secretsOut = path }
            #expect(result.status == .applied)
            let context = ReconcileContext(trigger: "cli", mode: "apply", configFiles: ["config.yaml"])
            let json = ReconcileReport.json(result, context: context)
            #expect(json["status"] == "applied")
            #expect(json["counts"]?["created"]?.intValue == result.plan?.count(.create))
            #expect(json["counts"]?["failed"] == 0)
            #expect(json["requestTotal"]?.intValue == result.requests?.total)
            let markdown = ReconcileReport.markdown(result, context: context)
            let keySecret = try JSONValue.parse(Array(try #require(FileManager.default.contents(atPath: path))))["search-prod"]?.stringValue
            for secret in Array(Self.environment.values) + [Self.key, try #require(keySecret)] {
                #expect(!markdown.contains(secret))
                #expect(!json.serialized().contains(secret))
            }
        }
    }
}
