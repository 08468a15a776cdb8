import Diff
import Foundation
import Mapping
import Reconciler
import SynapseContract
import SynapseSimulator
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The repository root, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func examplePath(_ name: String) -> String { "\(packageRoot)/examples/\(name)/config.yaml" }

/// Secret-looking values, distinct per run, so any leak is unambiguous.
enum TestSecrets {
    static let gatewayKey = "gw-e2e-key-" + UUID().uuidString
    static let providerKeys: [String: String] = [
        "OPENAI_API_KEY": "sk-e2e-openai-" + UUID().uuidString,
        "AZURE_EASTUS_API_KEY": "az-e2e-eastus-" + UUID().uuidString,
        "AZURE_WESTEUROPE_API_KEY": "az-e2e-westeu-" + UUID().uuidString,
        "AZURE_PROD_API_KEY": "az-e2e-prod-" + UUID().uuidString,
        "ANTHROPIC_API_KEY": "sk-ant-e2e-" + UUID().uuidString,
        "AWS_SECRET_ACCESS_KEY": "aws-e2e-secret-" + UUID().uuidString,
        "VERTEX_CREDENTIALS_JSON": "vertex-e2e-creds-" + UUID().uuidString,
        "GEMINI_API_KEY": "gemini-e2e-" + UUID().uuidString,
        "LITELLM_MASTER_KEY": "sk-master-e2e-" + UUID().uuidString,
    ]
    /// Non-secret variables the examples reference.
    static let plain: [String: String] = [
        "AZURE_PROD_API_BASE": "https://acme-prod.openai.azure.com/",
        "AWS_ACCESS_KEY_ID": "AKIAE2ETESTKEYID0001",
    ]
    static var environment: [String: String] { providerKeys.merging(plain) { a, _ in a } }
}

/// One simulator on an ephemeral loopback port, a gateway client for it, and raw HTTP access for out-of-band changes.
struct Harness: Sendable {
    let sim: RunningSimulator
    let client: GatewayClient
    let http: RawHTTP
    let scratch: String

    /// `clientTimeout` is the production default: on a loaded 2-core CI machine the in-process simulator can wait
    /// seconds for a Swift concurrency thread, and these tests are about convergence, not timeouts.
    static func run<T>(
        faults: FaultOptions = .none, seed: UInt64 = 11, clientTimeout: Double = 30,
        _ body: (Harness) async throws -> T
    ) async throws -> T {
        let sim = try await SynapseSimulator.start(options: SimulatorOptions(apiKey: Secret(TestSecrets.gatewayKey), faults: faults, seed: seed))
        let scratch = NSTemporaryDirectory() + "synapse-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        do {
            let client = try GatewayClient(options: GatewayOptions(
                baseURL: sim.baseURL, apiKey: Secret(TestSecrets.gatewayKey), timeoutSeconds: clientTimeout, connectTimeoutSeconds: 2,
                concurrency: 4,
                retry: RetryPolicy(maxAttempts: 6, baseDelaySeconds: 0.005, maxDelaySeconds: 0.05, maxTotalSeconds: 30, maxRetryAfterSeconds: 0.05)))
            let harness = Harness(sim: sim, client: client, http: RawHTTP(baseURL: sim.baseURL, key: TestSecrets.gatewayKey), scratch: scratch)
            let result = try await body(harness)
            await sim.stop()
            try? FileManager.default.removeItem(atPath: scratch)
            return result
        } catch {
            await sim.stop()
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
    }

    func map(_ configPath: String) throws -> MappingResult {
        try MappingPipeline.map(configPath: configPath, source: LocalFileSource())
    }

    /// Writes `text` as a config file in the scratch folder (with optional extra files beside it).
    func writeConfig(_ text: String, name: String = "config.yaml") throws -> String {
        let path = "\(scratch)/\(name)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// One reconcile pass.
    func pass(
        _ mapping: MappingResult, environment: [String: String] = TestSecrets.environment, prune: Bool = false, adopt: Bool = false,
        dryRun: Bool = false, allowMassDelete: Bool = false, secretsOut: String? = nil
    ) async -> ReconcileResult {
        var options = ReconcileOptions()
        options.diff = DiffOptions(prune: prune, adopt: adopt)
        options.dryRun = dryRun
        options.allowMassDelete = allowMassDelete
        options.secretsOut = secretsOut ?? "\(scratch)/secrets.json"
        return await ReconcilePass.run(
            mapping: mapping, client: client,
            environment: EnvironmentResolver(processEnvironment: environment, configEnvironment: mapping.configEnvironment), options: options)
    }

    func stats() async throws -> JSONValue { try await http.send("GET", "/_sim/stats").json }
    func state() async throws -> JSONValue { try await http.send("GET", "/_sim/state").json }

    /// Committed writes so far (`/_sim/stats`).
    func writes() async throws -> Int { try await stats()["writes"]?.intValue ?? -1 }

    /// Objects of one collection in `/_sim/state`, hidden (deleted/revoked) ones left out unless asked.
    func objects(_ kind: ResourceKind, includeHidden: Bool = false) async throws -> [JSONObject] {
        let items = try await state()[kind.listItemsField]?.arrayValue?.compactMap(\.objectValue) ?? []
        return items.filter { includeHidden || $0["_hidden"] != true }
    }

    func object(_ kind: ResourceKind, key: String) async throws -> JSONObject? {
        try await objects(kind).first { kind.naturalKey(of: $0) == key }
    }
}

/// Every write a pass made (POST, PUT, DELETE attempts, whatever their answer).
func writeRequests(_ result: ReconcileResult) -> Int {
    guard let stats = result.requests else { return 0 }
    return ["POST", "PUT", "DELETE"].map { stats.count(method: $0) }.reduce(0, +)
}

/// Natural keys held more than once by visible objects, per kind.
func duplicateKeys(in state: JSONValue) -> [String] {
    var out: [String] = []
    for kind in [ResourceKind.integration, .provider, .model, .team, .virtualKey] {
        let items = (state[kind.listItemsField]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["_hidden"] != true }
        var seen: [String: Int] = [:]
        for item in items { seen[kind.naturalKey(of: item) ?? "?", default: 0] += 1 }
        out += seen.filter { $0.value > 1 }.map { "\(kind.rawValue):\($0.key)" }
    }
    return out.sorted()
}

func describe(_ result: ReconcileResult) -> String {
    var text = "status \(result.status.rawValue)"
    if let error = result.error { text += "; error: \(error)" }
    for r in result.results where r.outcome != .succeeded { text += "; \(r.change.action.rawValue) \(r.change.ref): \(r.outcome)" }
    if let plan = result.plan { text += "\n" + PlanRenderer.text(plan) }
    return text
}

struct RawReply: Sendable {
    let status: Int
    let json: JSONValue
}

/// Plain HTTP to the simulator, for changes made "by hand" and for `/_sim/` introspection.
struct RawHTTP: Sendable {
    let baseURL: String
    let key: String

    func send(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> RawReply {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.serialized().utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return RawReply(status: status, json: data.isEmpty ? .null : try JSONValue.parse(Array(data)))
    }
}

/// Files below `directory`, with their text.
func filesBelow(_ directory: String) -> [(path: String, text: String)] {
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
    var out: [(String, String)] = []
    while let name = enumerator.nextObject() as? String {
        let path = "\(directory)/\(name)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else { continue }
        out.append((path, String(decoding: data, as: UTF8.self)))
    }
    return out
}

func posixMode(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
}
