import Foundation
import Synchronization
import SynapseContract
import Testing

@testable import Reconciler

@Suite("Gateway client against a scripted gateway")
struct GatewayClientTests {
    static let key = Secret("sk-test-0123456789abcdef")
    static let fastRetry = RetryPolicy(maxAttempts: 4, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01)

    func client(_ server: TestHTTPServer, retry: RetryPolicy = fastRetry, timeout: Double = 5) throws -> GatewayClient {
        try GatewayClient(
            options: GatewayOptions(baseURL: server.baseURL + "/", apiKey: Self.key, timeoutSeconds: timeout, retry: retry))
    }

    @Test func listFollowsPagesToTheLast() async throws {
        let teams = FakeCollection(kind: .team, seeded: 250)
        let server = try TestHTTPServer { teams.handle($0) ?? .notFound }
        defer { server.stop() }
        let client = try client(server)

        let listed = try await client.list(.team)
        #expect(listed.count == 250)
        #expect(Set(listed.compactMap { $0["name"]?.stringValue }).count == 250)
        let gets = server.requests.filter { $0.method == "GET" }
        #expect(gets.map { $0.query["page"] } == ["1", "2", "3"])
        #expect(gets.allSatisfy { $0.path == "/api/v1/teams" && $0.query["pageSize"] == "100" })
        #expect(gets.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key.value)" })
        #expect(server.acceptedConnections == 1)
        #expect(client.requestStats.count(method: "GET", status: 200) == 3)
    }

    @Test func tierListIsTheAssignmentsArray() async throws {
        let server = try TestHTTPServer { request in
            request.path == "/api/v1/rate-limits"
                ? .respond(status: 200, json: #"{"assignments":[{"tenantId":"acme","tier":"pro"}],"total":1}"#)
                : .notFound
        }
        defer { server.stop() }
        let tiers = try await client(server).list(.rateLimitTier)
        #expect(tiers == [["tenantId": "acme", "tier": "pro"]])
    }

    @Test func retriesServiceUnavailableThenSucceeds() async throws {
        let teams = FakeCollection(kind: .team, seeded: 3)
        let failures = Mutex(2)
        let server = try TestHTTPServer { request in
            let fail = failures.withLock { left in
                defer { left -= 1 }
                return left > 0
            }
            return fail ? .gatewayError(503, "service_unavailable", "warming up") : teams.handle(request) ?? .notFound
        }
        defer { server.stop() }
        let client = try client(server)

        #expect(try await client.list(.team).count == 3)
        #expect(client.requestStats.count(method: "GET", status: 503) == 2)
        #expect(client.requestStats.retries == 2)
    }

    @Test(arguments: [true, false])
    func rateLimitWaitsAtLeastTheServersHint(hintInBody: Bool) async throws {
        let teams = FakeCollection(kind: .team, seeded: 1)
        let first = Mutex(true)
        let server = try TestHTTPServer { request in
            guard first.withLock({ isFirst in defer { isFirst = false }; return isFirst }) else { return teams.handle(request) ?? .notFound }
            return hintInBody
                ? .respond(status: 429, json: #"{"error":{"message":"slow down","type":"rate_limit_error","retry_after_secs":1}}"#)
                : .respond(status: 429, json: #"{"error":{"message":"slow down","type":"rate_limit_error"}}"#, headers: ["Retry-After": "1"])
        }
        defer { server.stop() }

        #expect(try await client(server).list(.team).count == 1)
        let times = server.requests.map(\.receivedAt)
        try #require(times.count == 2)
        #expect(times[0].duration(to: times[1]) >= .seconds(1))
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let server = try TestHTTPServer { request in
            switch request.method {
            case "POST": return .gatewayError(400, "validation_error", "name is required")
            case "PUT": return .gatewayError(404, "not_found", "no such team")
            case "DELETE": return .gatewayError(404, "not_found", "no such team")
            default: return .gatewayError(404, "not_found", "no tier for tenant")
            }
        }
        defer { server.stop() }
        let client = try client(server)

        let createError = await #expect(throws: GatewayError.self) {
            _ = try await client.create(.team, body: ["description": "x"])
        }
        #expect(createError?.status == 400)
        #expect(createError?.errorType == "validation_error")
        #expect("\(createError!)".contains("POST /api/v1/teams: HTTP 400 validation_error: name is required"))

        let updateError = await #expect(throws: GatewayError.self) {
            _ = try await client.update(.team, id: "t 1", body: ["name": "a"])
        }
        #expect(updateError?.isNotFound == true)
        #expect(updateError?.path == "/api/v1/teams/t%201")

        try await client.delete(.team, id: "gone")  // already gone counts as deleted
        #expect(try await client.getSingleton(.rateLimitTier, id: "acme") == nil)

        #expect(server.requests.map(\.method) == ["POST", "PUT", "DELETE", "GET"])
        #expect(client.requestStats.retries == 0)
    }

    @Test func retriesStopAfterMaxAttempts() async throws {
        let server = try TestHTTPServer { _ in .gatewayError(502, "proxy_error", "upstream down") }
        defer { server.stop() }
        let error = await #expect(throws: GatewayError.self) {
            _ = try await client(server, retry: RetryPolicy(maxAttempts: 3, baseDelaySeconds: 0.001)).list(.model)
        }
        #expect(error?.status == 502)
        #expect(error?.attempts == 3)
        #expect(server.requests.count == 3)
    }

    @Test func configurationErrorIsNotRetried() async throws {
        let server = try TestHTTPServer { _ in .gatewayError(500, "configuration_error", "no database configured") }
        defer { server.stop() }
        await #expect(throws: GatewayError.self) { _ = try await client(server).list(.model) }
        #expect(server.requests.count == 1)
    }

    @Test func unreachableGatewayIsRetriedThenReported() async throws {
        let port = try unusedPort()
        let client = try GatewayClient(
            options: GatewayOptions(baseURL: "http://127.0.0.1:\(port)", apiKey: Self.key, retry: Self.fastRetry))
        let error = await #expect(throws: GatewayError.self) { _ = try await client.list(.team) }
        #expect(error?.status == nil)
        #expect(error?.attempts == 4)
        #expect(error?.transportError?.requestMayHaveBeenProcessed == false)
        #expect(client.requestStats.count(method: "GET", status: 0) == 4)
    }

    /// A base URL with a path prefix: the message names the request once, and says what went wrong.
    @Test func transportErrorsBehindAPathPrefixNameTheRequestOnce() async throws {
        let port = try unusedPort()
        let client = try GatewayClient(
            options: GatewayOptions(baseURL: "http://127.0.0.1:\(port)/synapse", apiKey: Self.key, retry: .none))
        let error = try #require(await #expect(throws: GatewayError.self) { _ = try await client.list(.team) })
        let text = error.description
        #expect(text.contains("could not connect"), "\(text)")
        #expect(text.components(separatedBy: "GET ").count == 2, "the request is named once: \(text)")
    }

    // MARK: - Creates with an unknown outcome

    @Test func createCommittedThenDroppedIsRecoveredNotDuplicated() async throws {
        let teams = FakeCollection(kind: .team, seeded: 120)  // the lookup has to page
        let server = try TestHTTPServer { request in
            if request.method == "POST", teams.count == 120 {
                _ = teams.handle(request)  // commit, then lose the response
                return .drop(delay: 0)
            }
            return teams.handle(request) ?? .notFound
        }
        defer { server.stop() }
        let client = try client(server)

        let outcome = try await client.create(.team, body: ["name": "research", "description": "d"])
        #expect(outcome.recoveredAfterUnknownOutcome)
        #expect(outcome.object["name"] == "research")
        #expect(outcome.object["id"] != nil)
        #expect(teams.count == 121)
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
        #expect(client.requestStats.recoveredCreates == 1)
    }

    @Test func createDroppedBeforeCommitIsRetriedOnce() async throws {
        let models = FakeCollection(kind: .model, seeded: 0)
        let dropped = Mutex(false)
        let server = try TestHTTPServer { request in
            if request.method == "POST", dropped.withLock({ done in defer { done = true }; return !done }) { return .drop(delay: 0) }
            return models.handle(request) ?? .notFound
        }
        defer { server.stop() }
        let client = try client(server)

        let body: JSONValue = ["modelId": "gpt-4o", "providerType": "openai", "displayName": "GPT-4o"]
        let outcome = try await client.create(.model, body: body)
        #expect(!outcome.recoveredAfterUnknownOutcome)
        #expect(models.count == 1)
        #expect(server.requests.map(\.method) == ["POST", "GET", "POST"])
    }

    @Test func gatewayTimeoutAfterCommitIsRecovered() async throws {
        let providers = FakeCollection(kind: .provider, seeded: 0)
        let server = try TestHTTPServer { request in
            if request.method == "POST", providers.count == 0 {
                _ = providers.handle(request)
                return .gatewayError(504, "timeout_error", "upstream timed out")
            }
            return providers.handle(request) ?? .notFound
        }
        defer { server.stop() }

        let outcome = try await client(server).create(.provider, body: ["slug": "openai-main", "name": "OpenAI"])
        #expect(outcome.recoveredAfterUnknownOutcome)
        #expect(providers.count == 1)
    }

    @Test func lastAttemptWithUnknownOutcomeStillLooksBeforeFailing() async throws {
        let teams = FakeCollection(kind: .team, seeded: 0)
        let server = try TestHTTPServer { request in
            if request.method == "POST" {
                _ = teams.handle(request)
                return .drop(delay: 0)
            }
            return teams.handle(request) ?? .notFound
        }
        defer { server.stop() }

        let outcome = try await client(server, retry: .none).create(.team, body: ["name": "ops"])
        #expect(outcome.recoveredAfterUnknownOutcome)
        #expect(teams.count == 1)
    }

    @Test func unknownOutcomeWithoutNaturalKeyIsNotRetried() async throws {
        let server = try TestHTTPServer { _ in .drop(delay: 0) }
        defer { server.stop() }
        let error = await #expect(throws: GatewayError.self) {
            _ = try await client(server).create(.team, body: ["description": "no name"])
        }
        #expect(error?.transportError?.requestMayHaveBeenProcessed == true)
        #expect("\(error!)".contains("natural key"))
        #expect(server.requests.count == 1)
    }

    @Test func virtualKeySecretIsReturnedOnceAndItsLossIsVisible() async throws {
        let keys = FakeCollection(kind: .virtualKey, seeded: 0)
        let server = try TestHTTPServer { request in
            if request.method == "POST", keys.count == 1 {
                _ = keys.handle(request)
                return .drop(delay: 0)
            }
            return keys.handle(request) ?? .notFound
        }
        defer { server.stop() }
        let client = try client(server)

        let made = try await client.create(.virtualKey, body: ["name": "app-1"])
        #expect(made.secret?.value == "vk-secret-app-1")
        #expect(made.object["name"] == "app-1")
        #expect(made.object["secret"] == nil)
        #expect(!made.secretLost)

        let recovered = try await client.create(.virtualKey, body: ["name": "app-2"])
        #expect(recovered.recoveredAfterUnknownOutcome)
        #expect(recovered.secret == nil)
        #expect(recovered.secretLost)
        #expect(keys.count == 2)
    }

    // MARK: - Singletons and errors

    @Test func tierAndRoutingAreCreatedWithPutOnTheirPath() async throws {
        let server = try TestHTTPServer { request in
            .respond(status: 200, json: request.path.hasPrefix("/api/v1/rate-limits/")
                ? #"{"tenantId":"acme corp","tier":"pro","explicit":true,"limits":{}}"# : request.bodyText)
        }
        defer { server.stop() }
        let client = try client(server)

        let tier = try await client.create(.rateLimitTier, body: ["tenantId": "acme corp", "tier": "pro"])
        #expect(tier.object["tier"] == "pro")
        let routing = try await client.create(.routingConfig, body: ["strategy": "balanced", "rules": []])
        #expect(routing.object["strategy"] == "balanced")

        let sent = server.requests
        #expect(sent.map { "\($0.method) \($0.target)" }
            == ["PUT /api/v1/rate-limits/acme%20corp", "PUT /api/v1/routing/config"])
        #expect(try JSONValue.parse(sent[0].body) == ["tier": "pro"])
    }

    @Test func authenticationErrorsPointAtTheKeySettingWithoutShowingTheKey() async throws {
        let server = try TestHTTPServer { _ in
            .gatewayError(401, "authentication_error", "invalid key \(GatewayClientTests.key.value)")
        }
        defer { server.stop() }
        let error = await #expect(throws: GatewayError.self) { _ = try await client(server).list(.team) }
        let text = "\(try #require(error))"
        #expect(text.contains("GET /api/v1/teams?page=1&pageSize=100: HTTP 401 authentication_error"))
        #expect(text.contains("SYNAPSE_API_KEY"))
        #expect(text.contains("--api-key-file"))
        #expect(!text.contains(Self.key.value))
        #expect(server.requests.count == 1)
    }

    @Test func badBaseURLIsRejected() {
        #expect(throws: GatewayError.self) { _ = try GatewayClient(options: GatewayOptions(baseURL: "synapse:8080", apiKey: Self.key)) }
    }
}

/// One collection of gateway objects behind a `TestHTTPServer`: paged lists and creates shaped as the contract has
/// them (virtual-key creates return `{key, secret}` with a predictable secret).
final class FakeCollection: Sendable {
    let kind: ResourceKind
    private let objects: Mutex<[JSONObject]>

    init(kind: ResourceKind, seeded: Int) {
        self.kind = kind
        objects = Mutex(
            (0..<seeded).map { n in
                ["id": .string("seed-\(n)"), "name": .string("seed-\(n)"), "slug": .string("seed-\(n)")]
            })
    }

    var count: Int { objects.withLock { $0.count } }

    /// The response for a list or create on this collection, or nil when the request is for something else.
    func handle(_ request: TestHTTPServer.Request) -> TestHTTPServer.Action? {
        guard request.path == kind.collectionPath else { return nil }
        switch request.method {
        case "GET":
            let page = Int(request.query["page"] ?? "1") ?? 1
            let size = Int(request.query["pageSize"] ?? "20") ?? 20
            let all = objects.withLock { $0 }
            let slice = Array(all.dropFirst((page - 1) * size).prefix(size))
            let body: JSONValue = [
                kind.listItemsField: .array(slice.map(JSONValue.object)), "total": .int(all.count), "page": .int(page),
                "pageSize": .int(size), "totalPages": .int((all.count + size - 1) / size),
            ]
            return .respond(status: 200, json: body.serialized())
        case "POST":
            guard var object = (try? JSONValue.parse(request.body))?.objectValue else {
                return .gatewayError(400, "validation_error", "body is not an object")
            }
            object["id"] = .string(UUID().uuidString)
            objects.withLock { $0.append(object) }
            if kind == .virtualKey {
                let secret = "vk-secret-" + (object["name"]?.stringValue ?? "")
                return .respond(status: 201, json: JSONValue.object(["key": .object(object), "secret": .string(secret)]).serialized())
            }
            return .respond(status: 201, json: JSONValue.object(object).serialized())
        default:
            return nil
        }
    }
}

extension TestHTTPServer.Action {
    static let notFound = gatewayError(404, "not_found", "no route")

    static func gatewayError(_ status: Int, _ type: String, _ message: String) -> TestHTTPServer.Action {
        let body: JSONValue = ["error": ["message": .string(message), "type": .string(type), "code": .string(type)]]
        return .respond(status: status, json: body.serialized())
    }
}
