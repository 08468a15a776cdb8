import Foundation
import Logging
import Reconciler
import SynapseContract
import ServiceLifecycle
import Testing

@Suite("Controller server: health, readiness, metrics, status API, reports")
struct ServerEndpointTests {
    /// /readyz follows the status; /healthz answers "ok" in every one of its states.
    @Test func readyzFollowsTheStatusAndHealthzIsAlways200() async throws {
        var status = FakeController.sampleStatus()
        status.ready = false
        let server = try await ServerHarness.start(status: status)
        func expectHealthy() async throws {
            let health = try await server.get("/healthz")
            #expect(health.status == 200 && health.text == "ok\n")
        }
        let waiting = try await server.get("/readyz")
        #expect(waiting.status == 503)
        #expect(waiting.text.contains("waiting for the first successful git fetch and gateway read"))
        try await expectHealthy()

        server.controller.update { $0.degradedReason = "gateway unreachable: connection refused" }
        let degraded = try await server.get("/readyz")
        #expect(degraded.status == 503)
        #expect(degraded.text.contains("gateway unreachable"))
        try await expectHealthy()

        server.controller.update { $0.ready = true; $0.degradedReason = nil }
        let ready = try await server.get("/readyz")
        #expect(ready.status == 200)
        #expect(ready.text == "ready\n")
        try await expectHealthy()
        await server.stop()
    }

    @Test func metricsEndpointServesTheRegistry() async throws {
        let server = try await ServerHarness.start()
        server.metrics.increment(ControllerMetrics.reconcileTotal, labels: ["result": "applied"])
        server.metrics.observe(ControllerMetrics.reconcileDurationSeconds, labels: ["result": "applied"], value: 1.8)
        server.metrics.observe(ControllerMetrics.gitFetchDurationSeconds, labels: ["result": "success"], value: 0.04)
        server.metrics.set(ControllerMetrics.driftObjects, labels: ["kind": "route"], to: 2)
        server.metrics.increment(ControllerMetrics.gatewayRequestsTotal, labels: ["method": "GET", "status": "200"], by: 12)
        server.metrics.set(ControllerMetrics.lastSuccessTimestampSeconds, to: 1_746_100_800)

        let response = try await server.get("/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let parsed = try PrometheusExposition(response.text)
        try parsed.checkHistograms()
        for sample in parsed.samples {
            #expect(parsed.familyType(of: sample) != nil, "\(sample.name) has no TYPE")
        }
        #expect(parsed.value(ControllerMetrics.reconcileTotal, ["result": "applied"]) == 1)
        #expect(parsed.value(ControllerMetrics.reconcileDurationSeconds + "_bucket", ["result": "applied", "le": "2.5"]) == 1)
        #expect(parsed.value(ControllerMetrics.reconcileDurationSeconds + "_bucket", ["result": "applied", "le": "1"]) == 0)
        #expect(parsed.value(ControllerMetrics.gatewayRequestsTotal, ["method": "GET", "status": "200"]) == 12)
        #expect(parsed.value(ControllerMetrics.lastSuccessTimestampSeconds) == 1_746_100_800)
        #expect(parsed.types[ControllerMetrics.webhookRequestsTotal] == "counter")
        #expect(parsed.help[ControllerMetrics.driftObjects] != nil)
        await server.stop()
    }

    @Test func apiStatusHasTheDocumentedFields() async throws {
        let server = try await ServerHarness.start { $0.reportDirectory = "/nonexistent" }
        let response = try await server.get("/api/status")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let json = try #require(response.json)
        let keys = Set(try #require(json.objectValue).keys)
        #expect(keys == [
            "mode", "repository", "ref", "configPath", "syncState", "ready", "reconcileInProgress", "lastGoodRevision",
            "lastFetchedRevision", "failingRevision", "failingReason", "degradedReason", "driftByKind", "driftTotal",
            "lastSuccessAt", "recent",
        ])
        #expect(json["syncState"] == "drifted")
        #expect(json["ready"] == true)
        #expect(json["failingRevision"] == .null)
        #expect(json["lastGoodRevision"] == "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a")
        #expect(json["driftByKind"] == ["route": 2, "provider": 1])
        #expect(json["driftTotal"] == 3)
        #expect(json["lastSuccessAt"] == "2025-05-01T12:00:00Z")
        let recent = try #require(json["recent"]?.arrayValue)
        #expect(recent.count == 2)
        #expect(recent[0]["trigger"] == "webhook")
        #expect(recent[0]["created"] == 3)
        #expect(recent[0]["seconds"]?.doubleValue == 1.25)
        #expect(recent[0]["startedAt"] == "2025-05-01T12:00:00Z")
        #expect(recent[0]["reports"]?["markdown"] == "/reports/reconcile-20250501T120000Z-3f2a9c1e.md")
        #expect(recent[1]["reports"] == .null)
        #expect(recent[1]["error"] == "config.yaml:12:3: model_list[2].litellm_params.model is required")
        #expect(Set(try #require(recent[0].objectValue).keys) == [
            "startedAt", "trigger", "mode", "revision", "status", "created", "updated", "deleted", "failed", "driftObjects",
            "seconds", "reportBase", "reports", "error",
        ])
        await server.stop()
    }

    @Test func unknownPathsAre404AndRootRedirects() async throws {
        let server = try await ServerHarness.start()
        #expect(try await server.get("/nope").status == 404)
        let root = try await rawHTTPExchange(port: server.running.port, requests: ["GET / HTTP/1.1\r\nHost: x\r\n\r\n"])
        #expect(root[0].status == 302)
        #expect(root[0].headers["location"] == "/status")
        #expect(try await server.post("/metrics").status == 405)
        await server.stop()
    }

    @Test func reportsAreServedFromTheFolderOnly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        let reports = folder.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "# Reconcile\n\n3 created\n".write(to: reports.appendingPathComponent("r-1.md"), atomically: true, encoding: .utf8)
        try #"{"created":3}"#.write(to: reports.appendingPathComponent("r-1.json"), atomically: true, encoding: .utf8)
        try "secret: hunter2\n".write(to: folder.appendingPathComponent("outside.md"), atomically: true, encoding: .utf8)
        try "not a report\n".write(to: reports.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: reports.appendingPathComponent("link.md").path, withDestinationPath: folder.appendingPathComponent("outside.md").path)

        let server = try await ServerHarness.start { $0.reportDirectory = reports.path }
        let markdown = try await server.get("/reports/r-1.md")
        #expect(markdown.status == 200)
        #expect(markdown.text == "# Reconcile\n\n3 created\n")
        #expect(markdown.headers["content-type"] == "text/plain; charset=utf-8")
        let json = try await server.get("/reports/r-1.json")
        #expect(json.status == 200)
        #expect(json.json?["created"] == 3)
        #expect(json.headers["content-type"] == "application/json")

        #expect(try await server.get("/reports/notes.txt").status == 404)
        #expect(try await server.get("/reports/link.md").status == 404)
        #expect(try await server.get("/reports/missing.md").status == 404)

        // Raw targets, because a client library would normalise the dot segments away.
        let targets = [
            "/reports/../outside.md", "/reports/..%2Foutside.md", "/reports/%2e%2e/outside.md", "/reports/..",
            "/reports/.md", "/reports/sub/../r-1.md", "/reports//etc/passwd", "/reports/%2Fetc%2Fpasswd",
        ]
        let answers = try await rawHTTPExchange(
            port: server.running.port, requests: targets.map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" })
        for (target, answer) in zip(targets, answers) {
            #expect(answer.status == 404, "\(target)")
            #expect(!answer.body.contains("hunter2"), "\(target)")
        }
        await server.stop()

        let noFolder = try await ServerHarness.start()
        #expect(try await noFolder.get("/reports/r-1.md").status == 404)
        await noFolder.stop()
    }

    @Test func keepAliveConnectionServesManyRequests() async throws {
        let server = try await ServerHarness.start()
        let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        let answers = try await rawHTTPExchange(port: server.running.port, requests: Array(repeating: request, count: 50))
        #expect(answers.count == 50)
        #expect(answers.allSatisfy { $0.status == 200 && $0.body == "ok\n" && $0.headers["connection"] != "close" })
        await server.stop()
    }

    @Test func acceptedConnectionsHaveNoDelaySet() async throws {
        // Without TCP_NODELAY a response written in two segments waits for the client's delayed ACK (~40 ms on
        // Linux) on every keep-alive request. NIO sets it on the listener and accepted sockets inherit it.
        let server = try await ServerHarness.start()
        let noDelay = try await serverSideNoDelay(port: server.running.port)
        #expect(noDelay == true)
        await server.stop()
    }

    @Test func portZeroPicksAFreePortAndStopClosesIt() async throws {
        let server = try await ServerHarness.start()
        let port = server.running.port
        #expect(port > 0)
        #expect(try await server.get("/healthz").status == 200)
        await server.stop()
        // Rebinding the very port would race with other tests' outgoing connections; a refused connect is enough.
        let transport = HTTPTransport()
        await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/healthz"))
        }
    }

    @Test func bindFailureIsAnError() async throws {
        let first = try await ServerHarness.start()
        await #expect(throws: (any Error).self) {
            var options = ControllerServerOptions(host: "127.0.0.1", port: first.running.port)
            options.webhookSecret = nil
            let server = ControllerServer(options: options, control: FakeController(), metrics: MetricsRegistry())
            let running = try await server.start()
            await running.stop()
        }
        await first.stop()
    }
}

@Suite("Controller server as a ServiceLifecycle service")
struct ServerServiceTests {
    @Test func gracefulShutdownOfTheGroupEndsRun() async throws {
        var logger = Logger(label: "controller-server-test")
        logger.logLevel = .warning
        let server = ControllerServer(
            options: ControllerServerOptions(host: "127.0.0.1", port: 0), control: FakeController(), metrics: MetricsRegistry(), logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(200))
        await group.triggerGracefulShutdown()
        let started = ContinuousClock.now
        try await running.value
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
