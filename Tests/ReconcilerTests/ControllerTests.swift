import Foundation
import Logging
import Mapping
import SynapseContract
import SynapseSimulator
import Testing

@testable import Reconciler

/// The controller loop against a real bare-enough git repository on disk and the gateway simulator over HTTP.
@Suite("Controller (watch) against git on disk and the simulator", .serialized)
struct ControllerTests {
    static let configV1 = """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_key: os.environ/OPENAI_API_KEY
              rpm: 100
        """
    static let configV2 = configV1 + """

          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_key: os.environ/OPENAI_API_KEY
              rpm: 50
        """

    /// Everything one test needs, stopped in `stop()`.
    final class Harness: @unchecked Sendable {
        let fixture: GitFixture
        let origin: String
        let simulator: RunningSimulator
        let controller: Controller
        let server: RunningControllerServer
        let run: Task<Void, any Error>
        let reports: String
        let webhookSecret = "webhook-secret-\(UUID().uuidString)"
        let simulatorKey = Secret("sim-key-\(UUID().uuidString)")
        let transport = HTTPTransport()

        init(mode: ControllerOptions.Mode = .sync, initialConfig: String = ControllerTests.configV1) async throws {
            fixture = try GitFixture()
            origin = try fixture.makeRepository("origin")
            try fixture.commit(in: origin, files: ["litellm/config.yaml": initialConfig], message: "initial config")
            let key = simulatorKey
            simulator = try await SynapseSimulator.start(options: SimulatorOptions(host: "127.0.0.1", port: 0, apiKey: key))
            reports = fixture.folder("reports")
            var options = ControllerOptions(
                git: GitSourceOptions(url: origin, ref: "main", cacheDir: fixture.folder("state/git"), credentials: .none),
                configPath: "litellm/config.yaml", reportDirectory: reports, secretsOut: fixture.folder("state/keys.json"))
            options.mode = mode
            options.intervalSeconds = 3600  // only webhooks and manual requests trigger passes in these tests
            options.backoffMinimumSeconds = 3600
            let gateway = try GatewayClient(options: GatewayOptions(baseURL: simulator.baseURL, apiKey: key, retry: .none))
            let metrics = MetricsRegistry()
            controller = try Controller(
                options: options, gateway: gateway, metrics: metrics, logger: Logger(label: "test"),
                processEnvironment: ["OPENAI_API_KEY": "sk-test-provider-key"])
            server = try await ControllerServer(
                options: ControllerServerOptions(
                    host: "127.0.0.1", port: 0, webhookSecret: Secret(webhookSecret), reconcileToken: Secret("reconcile-token"),
                    reportDirectory: reports),
                control: controller, metrics: metrics
            ).start()
            let controller = controller
            run = Task { try await controller.run() }
        }

        func stop() async {
            run.cancel()
            _ = await run.result
            await server.stop()
            await simulator.stop()
        }

        var baseURL: String { "http://127.0.0.1:\(server.port)" }

        /// Polls the controller's status until `condition` holds (at most `seconds`).
        func waitFor(_ seconds: Double = 20, _ condition: (ControllerStatus) -> Bool) async throws -> ControllerStatus {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                let status = await controller.status()
                if condition(status) { return status }
                try await Task.sleep(for: .milliseconds(50))
            }
            let status = await controller.status()
            Issue.record("timed out; status: sync=\(status.syncState) good=\(status.lastGoodRevision ?? "-") failing=\(status.failingRevision ?? "-") degraded=\(status.degradedReason ?? "-")")
            return status
        }

        func webhook(body: String, signature: String?) async throws -> Int {
            var headers = ["Content-Type": "application/json", "X-GitHub-Event": "push"]
            if let signature { headers["X-Hub-Signature-256"] = signature }
            let response = try await transport.send(HTTPRequest(method: "POST", url: baseURL + "/webhook", headers: headers, body: Array(body.utf8)))
            return response.status
        }

        func signed(_ body: String) -> String { signature(Array(body.utf8), secret: webhookSecret) }

        /// The simulator's objects of one kind (read with the admin key through the product's own client).
        func gatewayObjects(_ kind: ResourceKind) async throws -> [JSONObject] {
            let client = try GatewayClient(options: GatewayOptions(baseURL: simulator.baseURL, apiKey: simulatorKey))
            return try await client.list(kind)
        }


        func gatewayWrites() async throws -> Int {
            let response = try await transport.send(HTTPRequest(
                method: "GET", url: simulator.baseURL + "/_sim/stats", headers: ["Authorization": "Bearer \(simulatorKey.value)"]))
            let stats = try JSONValue.parse(response.body)
            return stats["writes"]?.intValue ?? -1
        }
    }

    @Test func aSignedWebhookAppliesAPushWithoutWaitingForTheInterval() async throws {
        let h = try await Harness()
        let first = try h.fixture.git(["rev-parse", "HEAD"], in: h.origin)
        _ = try await h.waitFor { $0.lastGoodRevision == first && $0.ready }
        #expect(try await h.gatewayObjects(.model).count == 1)

        let second = try h.fixture.commit(in: h.origin, files: ["litellm/config.yaml": Self.configV2], message: "add gpt-4o-mini")
        let body = #"{"ref":"refs/heads/main","after":"\#(second)"}"#
        let started = ContinuousClock.now
        #expect(try await h.webhook(body: body, signature: h.signed(body)) == 202)
        let status = try await h.waitFor(10) { $0.lastGoodRevision == second }
        #expect(status.lastGoodRevision == second)
        #expect(started.duration(to: .now) < .seconds(10))  // the interval is an hour: the webhook did it
        #expect(try await h.gatewayObjects(.model).count == 2)
        #expect(status.recent.first?.trigger == .webhook)
        await h.stop()
    }

    @Test func aBadOrMissingSignatureIsRefusedAndTriggersNothing() async throws {
        let h = try await Harness()
        let first = try h.fixture.git(["rev-parse", "HEAD"], in: h.origin)
        _ = try await h.waitFor { $0.lastGoodRevision == first }
        let passes = await h.controller.status().recent.count
        try h.fixture.commit(in: h.origin, files: ["litellm/config.yaml": Self.configV2], message: "add gpt-4o-mini")
        let body = #"{"ref":"refs/heads/main"}"#
        #expect(try await h.webhook(body: body, signature: "sha256=" + String(repeating: "0", count: 64)) == 401)
        #expect(try await h.webhook(body: body, signature: nil) == 401)
        #expect(try await h.webhook(body: body + " ", signature: h.signed(body)) == 401)  // body changed after signing
        try await Task.sleep(for: .milliseconds(500))
        #expect(await h.controller.status().recent.count == passes)
        #expect(try await h.gatewayObjects(.model).count == 1)
        await h.stop()
    }

    @Test func anInvalidCommitMakesNoWritesAndTheNextGoodCommitRecovers() async throws {
        let h = try await Harness()
        let first = try h.fixture.git(["rev-parse", "HEAD"], in: h.origin)
        _ = try await h.waitFor { $0.lastGoodRevision == first }
        let writes = try await h.gatewayWrites()

        let bad = try h.fixture.commit(
            in: h.origin, files: ["litellm/config.yaml": Self.configV1 + "\n      rpm: [oops\n"], message: "broken yaml")
        let body = #"{"ref":"refs/heads/main"}"#
        #expect(try await h.webhook(body: body, signature: h.signed(body)) == 202)
        let failing = try await h.waitFor { $0.failingRevision == bad }
        #expect(failing.syncState == .failing)
        #expect(failing.lastGoodRevision == first)
        #expect(failing.failingReason?.contains("litellm/config.yaml:") == true)
        #expect(try await h.gatewayWrites() == writes)
        let reportNames = try FileManager.default.contentsOfDirectory(atPath: h.reports)
        #expect(reportNames.contains { $0.contains("failed") && $0.hasSuffix(".md") })

        let good = try h.fixture.commit(in: h.origin, files: ["litellm/config.yaml": Self.configV2], message: "fixed")
        #expect(try await h.webhook(body: body, signature: h.signed(body)) == 202)
        let recovered = try await h.waitFor { $0.lastGoodRevision == good }
        #expect(recovered.failingRevision == nil)
        #expect(recovered.syncState == .synced)
        #expect(try await h.gatewayObjects(.model).count == 2)
        await h.stop()
    }

    @Test(arguments: [ControllerOptions.Mode.sync, .observe])
    func driftIsCorrectedInSyncModeAndOnlyReportedInObserveMode(mode: ControllerOptions.Mode) async throws {
        let h = try await Harness(mode: mode)
        let first = try h.fixture.git(["rev-parse", "HEAD"], in: h.origin)
        _ = try await h.waitFor { $0.lastGoodRevision == first }
        let providers = try await h.gatewayObjects(.provider)
        if mode == .observe {
            // An empty gateway differs from the config in every object: observe mode reports it and writes nothing.
            #expect(providers.isEmpty)
            let status = await h.controller.status()
            #expect(status.syncState == .drifted)
            #expect((status.driftByKind["provider"] ?? 0) == 1)
            #expect(try await h.gatewayWrites() == 0)
            await h.stop()
            return
        }
        // Out-of-band change on the gateway: someone edits the provider's rate limits.
        let provider = try #require(providers.first)
        let id = try #require(provider["id"]?.stringValue)
        let client = try GatewayClient(options: GatewayOptions(baseURL: h.simulator.baseURL, apiKey: h.simulatorKey))
        _ = try await client.update(.provider, id: id, body: ["rateLimits": ["rpm": 1]])
        let writesBefore = try await h.gatewayWrites()
        let response = try await h.transport.send(HTTPRequest(
            method: "POST", url: h.baseURL + "/reconcile", headers: ["Authorization": "Bearer reconcile-token"]))
        #expect(response.status == 202)
        _ = try await h.waitFor { $0.recent.first?.trigger == .manual }
        let corrected = try await h.gatewayObjects(.provider).first
        #expect(corrected?["rateLimits"]?["rpm"]?.intValue == 100)
        #expect(try await h.gatewayWrites() == writesBefore + 1)  // one update, nothing else
        await h.stop()
    }
}
