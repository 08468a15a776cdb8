import Foundation
import Reconciler
import SynapseContract
import Testing

@Suite("Controller server: webhook and manual reconcile")
struct ServerWebhookTests {
    static let secret = "It's a Secret to Everybody"
    let push = Array(#"{"ref":"refs/heads/main","after":"3f2a9c1e"}"#.utf8)

    private func start() async throws -> ServerHarness {
        try await ServerHarness.start { options in
            options.webhookSecret = Secret(Self.secret)
            options.reconcileToken = Secret("tok-123")
            options.maxWebhookBodyBytes = 4096
        }
    }

    @Test func githubSignedPushIsAcceptedAndRequestsOneReconcile() async throws {
        let server = try await start()
        let response = try await server.post(
            "/webhook", headers: ["X-Hub-Signature-256": signature(push, secret: Self.secret), "X-GitHub-Event": "push"], body: push)
        #expect(response.status == 202)
        #expect(response.json?["provider"] == "github")
        #expect(await server.controller.requests(atLeast: 1) == [.webhook])
        #expect(server.metrics.value(ControllerMetrics.webhookRequestsTotal, labels: ["result": "accepted"]) == 1)
        await server.stop()
    }

    @Test func gitlabTokenIsAccepted() async throws {
        let server = try await start()
        let response = try await server.post("/webhook", headers: ["X-Gitlab-Token": Self.secret, "X-Gitlab-Event": "Push Hook"], body: push)
        #expect(response.status == 202)
        #expect(response.json?["provider"] == "gitlab")
        #expect(await server.controller.requests(atLeast: 1) == [.webhook])
        await server.stop()
    }

    @Test func genericSignatureIsAcceptedWithOrWithoutPrefixAndAnyHeaderCase() async throws {
        let server = try await start()
        let hex = String(signature(push, secret: Self.secret).dropFirst("sha256=".count))
        let first = try await server.post("/webhook", headers: ["x-signature-256": "sha256=" + hex.uppercased()], body: push)
        let second = try await server.post("/webhook", headers: ["X-SIGNATURE-256": hex], body: push)
        #expect(first.status == 202)
        #expect(second.status == 202)
        #expect(first.json?["provider"] == "generic")
        #expect(await server.controller.requests(atLeast: 2) == [.webhook, .webhook])
        await server.stop()
    }

    @Test(arguments: [
        ("bad signature", ["X-Hub-Signature-256": "sha256=" + String(repeating: "ab", count: 32)]),
        ("wrong secret", ["X-Hub-Signature-256": signature(Array(#"{"ref":"refs/heads/main","after":"3f2a9c1e"}"#.utf8), secret: "guess")]),
        ("no prefix for GitHub", ["X-Hub-Signature-256": String(signature(Array(#"{"ref":"refs/heads/main","after":"3f2a9c1e"}"#.utf8), secret: secret).dropFirst(7))]),
        ("not hex", ["X-Signature-256": "sha256=zz"]),
        ("wrong GitLab token", ["X-Gitlab-Token": "It's a Secret to Everybod"]),
        ("missing", [:]),
    ])
    func badOrMissingSignatureIs401AndNoReconcile(_ name: String, _ headers: [String: String]) async throws {
        let server = try await start()
        let response = try await server.post("/webhook", headers: headers, body: push)
        #expect(response.status == 401, "\(name)")
        #expect(response.headers["content-type"] == "application/json")
        let error = try #require(response.json?["error"]?.stringValue)
        #expect(!error.isEmpty)
        #expect(!response.text.contains(Self.secret))
        #expect(await server.controller.requests(atLeast: 1, within: 0.2).isEmpty)
        #expect(server.metrics.value(ControllerMetrics.webhookRequestsTotal, labels: ["result": "rejected"]) == 1)
        await server.stop()
    }

    @Test func signatureOverADifferentBodyIsRejected() async throws {
        let server = try await start()
        let tampered = Array(#"{"ref":"refs/heads/evil","after":"3f2a9c1e"}"#.utf8)
        let response = try await server.post("/webhook", headers: ["X-Hub-Signature-256": signature(push, secret: Self.secret)], body: tampered)
        #expect(response.status == 401)
        #expect(await server.controller.requests(atLeast: 1, within: 0.2).isEmpty)
        await server.stop()
    }

    @Test func githubPingIs200WithoutReconcile() async throws {
        let server = try await start()
        let ping = Array(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
        let response = try await server.post(
            "/webhook", headers: ["X-Hub-Signature-256": signature(ping, secret: Self.secret), "X-GitHub-Event": "ping"], body: ping)
        #expect(response.status == 200)
        #expect(response.json?["status"] == "pong")
        // An unsigned ping is still refused.
        let unsigned = try await server.post("/webhook", headers: ["X-GitHub-Event": "ping"], body: ping)
        #expect(unsigned.status == 401)
        #expect(await server.controller.requests(atLeast: 1, within: 0.2).isEmpty)
        #expect(server.metrics.value(ControllerMetrics.webhookRequestsTotal, labels: ["result": "ping"]) == 1)
        await server.stop()
    }

    @Test func otherSignedEventsAreIgnored() async throws {
        let server = try await start()
        let response = try await server.post(
            "/webhook", headers: ["X-Hub-Signature-256": signature(push, secret: Self.secret), "X-GitHub-Event": "issues"], body: push)
        #expect(response.status == 200)
        #expect(response.json?["status"] == "ignored")
        #expect(await server.controller.requests(atLeast: 1, within: 0.2).isEmpty)
        await server.stop()
    }

    @Test func oversizedBodyIs413() async throws {
        let server = try await start()
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        let response = try await server.post("/webhook", headers: ["X-Hub-Signature-256": signature(big, secret: Self.secret)], body: big)
        #expect(response.status == 413)
        #expect(await server.controller.requests(atLeast: 1, within: 0.2).isEmpty)
        #expect(server.metrics.value(ControllerMetrics.webhookRequestsTotal, labels: ["result": "too_large"]) == 1)
        await server.stop()
    }

    @Test func webhookAndReconcileAre404WhenNotConfigured() async throws {
        let server = try await ServerHarness.start()
        let hook = try await server.post("/webhook", headers: ["X-Hub-Signature-256": signature(push, secret: Self.secret)], body: push)
        let manual = try await server.post("/reconcile", headers: ["Authorization": "Bearer tok-123"])
        #expect(hook.status == 404)
        #expect(manual.status == 404)
        #expect(server.controller.requests.isEmpty)
        await server.stop()
    }

    @Test func webhookNeedsPost() async throws {
        let server = try await start()
        let response = try await server.get("/webhook")
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "POST")
        await server.stop()
    }

    @Test func manualReconcileNeedsTheBearerToken() async throws {
        let server = try await start()
        let good = try await server.post("/reconcile", headers: ["Authorization": "Bearer tok-123"])
        #expect(good.status == 202)
        #expect(await server.controller.requests(atLeast: 1) == [.manual])

        for headers in [[:], ["Authorization": "Bearer tok-12"], ["Authorization": "Basic dG9rLTEyMw=="], ["Authorization": "tok-123"]] {
            let bad = try await server.post("/reconcile", headers: headers)
            #expect(bad.status == 401)
            #expect(bad.headers["www-authenticate"] == "Bearer")
            #expect(!bad.text.contains("tok-123"))
        }
        #expect(await server.controller.requests(atLeast: 2, within: 0.2) == [.manual])
        await server.stop()
    }

    @Test func aBurstIsAnsweredQuicklyAndEveryDeliveryIsPassedOn() async throws {
        // Coalescing is the controller's job; the server passes each verified delivery on, without waiting.
        let server = try await start()
        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await server.post("/webhook", headers: ["X-Hub-Signature-256": signature(push, secret: Self.secret)], body: push).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 202, count: 20))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await server.controller.requests(atLeast: 20).count == 20)
        await server.stop()
    }
}

@Suite("Webhook verifier")
struct ServerWebhookVerifierTests {
    @Test func verdictsNeverContainTheSecretOrThePresentedValue() {
        let verifier = WebhookVerifier(secret: Secret("hunter2-secret"))
        let cases: [[String: String]] = [
            ["X-Gitlab-Token": "hunter2-secrex"], ["X-Hub-Signature-256": "sha256=hunter2-secret"], [:],
        ]
        for headers in cases {
            guard case .rejected(let reason) = verifier.verify(headers: headers, body: []) else {
                Issue.record("accepted \(headers)")
                continue
            }
            #expect(!reason.contains("hunter2"))
        }
    }

    @Test func emptySecretRejectsEverything() {
        let verifier = WebhookVerifier(secret: Secret(""))
        let sig = signature([1, 2, 3], secret: "")
        for verdict in [verifier.verify(headers: ["X-Gitlab-Token": ""], body: []), verifier.verify(headers: ["X-Hub-Signature-256": sig], body: [1, 2, 3])] {
            guard case .rejected = verdict else {
                Issue.record("an empty secret accepted a delivery: \(verdict)")
                continue
            }
        }
    }

    @Test func githubDocumentationExample() {
        // From GitHub's "Validating webhook deliveries" page.
        let verifier = WebhookVerifier(secret: Secret("It's a Secret to Everybody"))
        let verdict = verifier.verify(
            headers: ["x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            body: Array("Hello, World!".utf8))
        #expect(verdict == .accepted(provider: "github"))
    }
}
