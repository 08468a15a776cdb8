import Foundation
import SynapseContract
import SynapseSimulator
import Testing

@Suite("Simulator faults and stats")
struct SimulatorFaultTests {
    private static func faults(_ configure: (inout FaultOptions) -> Void) -> FaultOptions {
        var faults = FaultOptions()
        configure(&faults)
        return faults
    }

    /// Statuses of 100 list requests against a fresh simulator with a 30 % error rate.
    private static func errorSequence(seed: UInt64) async throws -> [Int] {
        try await withSimulator(faults: faults { $0.errorRate = 0.3 }, seed: seed) { (_, client) async throws in
            var statuses: [Int] = []
            for _ in 0..<100 {
                let reply = try await client.get(ResourceKind.team.collectionPath)
                if reply.status != 200 {
                    let expected = [500: "internal_error", 502: "proxy_error", 503: "service_unavailable"][reply.status]
                    #expect(reply.errorType == expected, "status \(reply.status)")
                }
                statuses.append(reply.status)
            }
            return statuses
        }
    }

    @Test func errorRateIsReproducibleWithASeed() async throws {
        let first = try await Self.errorSequence(seed: 42)
        let second = try await Self.errorSequence(seed: 42)
        let other = try await Self.errorSequence(seed: 43)
        #expect(first == second)
        #expect(first != other)
        let failures = first.filter { $0 != 200 }.count
        #expect((15...45).contains(failures), "30 % of 100 requests should fail, \(failures) did")
        #expect(Set(first.filter { $0 != 200 }) == [500, 502, 503])
    }

    @Test func rateLimitCarriesRetryAfter() async throws {
        try await withSimulator(faults: Self.faults { $0.rateLimitRate = 1; $0.retryAfterSeconds = 3 }) { (_, client) async throws in
            let reply = try await client.get(ResourceKind.model.collectionPath)
            #expect(reply.status == 429)
            #expect(reply.errorType == "rate_limit_error")
            #expect(reply.json?["error"]?["retry_after_secs"] == 3)
            #expect(reply.headers["retry-after"] == "3")
        }
    }

    @Test func faultsNeverTouchHealthOrSimulatorEndpoints() async throws {
        try await withSimulator(faults: Self.faults { $0.errorRate = 1 }) { (_, client) async throws in
            #expect(try await client.get("/health").status == 200)
            #expect(try await client.get("/ready").status == 200)
            #expect(try await client.get("/_sim/stats").status == 200)
            #expect(try await client.get(ResourceKind.team.collectionPath).status >= 500)
        }
    }

    @Test func commitThenTimeoutReallyCommits() async throws {
        try await withSimulator(faults: Self.faults { $0.commitThenTimeoutRate = 1; $0.timeoutBehavior = .hold(seconds: 20) }) { (sim, client) async throws in
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                _ = try await client.send("POST", ResourceKind.team.collectionPath, Bodies.team("held"), timeout: 1)
            }
            #expect(ContinuousClock.now - started < .seconds(15), "the client's 1 s timeout, not the 20 s hold, should end the wait")
            await sim.setFaults(.none)
            let list = try await client.get(ResourceKind.team.collectionPath)
            #expect(list.json?["teams"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["held"])
        }
        try await withSimulator(faults: Self.faults { $0.commitThenTimeoutRate = 1; $0.timeoutBehavior = .gatewayTimeout }) { (sim, client) async throws in
            let reply = try await client.post(ResourceKind.integration.collectionPath, Bodies.integration("late"))
            #expect(reply.status == 504)
            #expect(reply.errorType == "timeout_error")
            #expect(try await client.get(ResourceKind.integration.collectionPath).json?["total"] == 1)
            // Reads are never "committed", so they are not affected.
            #expect(try await client.get(ResourceKind.integration.collectionPath).status == 200)
            await sim.setFaults(.none)
        }
    }

    @Test func droppedConnectionsBeforeAndAfterCommit() async throws {
        // Each dropping request is the first on its server, so the HTTP client has no reused connection to retry on.
        try await withSimulator(faults: Self.faults { $0.dropBeforeCommitRate = 1 }) { (sim, client) async throws in
            await #expect(throws: (any Error).self) {
                _ = try await client.send("POST", ResourceKind.team.collectionPath, Bodies.team("lost"), timeout: 5)
            }
            await sim.setFaults(.none)
            #expect(try await client.get(ResourceKind.team.collectionPath).json?["total"] == 0)
        }
        try await withSimulator(faults: Self.faults { $0.dropAfterCommitRate = 1 }) { (sim, client) async throws in
            await #expect(throws: (any Error).self) {
                _ = try await client.send("POST", ResourceKind.team.collectionPath, Bodies.team("kept"), timeout: 5)
            }
            await sim.setFaults(.none)
            #expect(try await client.get(ResourceKind.team.collectionPath).json?["total"] == 1)
            #expect(try await client.get("/_sim/stats").json?["faults"]?["dropAfterCommit"] == 1)
        }
    }

    @Test func latencyIsAdded() async throws {
        try await withSimulator(faults: Self.faults { $0.latencyMilliseconds = 300 }) { (_, client) async throws in
            let started = ContinuousClock.now
            #expect(try await client.get(ResourceKind.team.collectionPath).status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func faultsCanBeChangedAtRunTime() async throws {
        try await withSimulator { (_, client) async throws in
            #expect(try await client.get(ResourceKind.team.collectionPath).status == 200)
            let set = try await client.post("/_sim/faults", ["rateLimitRate": 1, "retryAfterSeconds": 9])
            #expect(set.status == 200)
            #expect(try await client.get("/_sim/faults").json?["retryAfterSeconds"] == 9)
            #expect(try await client.get(ResourceKind.team.collectionPath).status == 429)
            let bad = try await client.post("/_sim/faults", ["errorRate": 2])
            #expect(bad.status == 400)
            #expect(bad.errorMessage.contains("errorRate"))
            #expect(try await client.post("/_sim/faults", ["sometimes": true]).status == 400)
            #expect(try await client.post("/_sim/faults", [:]).status == 200)
            #expect(try await client.get(ResourceKind.team.collectionPath).status == 200)
        }
    }

    @Test func statsCountRequestsByRouteAndWrites() async throws {
        try await withSimulator { (_, client) async throws in
            let team = try await client.post(ResourceKind.team.collectionPath, Bodies.team("a"))
            let id = try #require(team.json?["id"]?.stringValue)
            _ = try await client.get(ResourceKind.team.collectionPath)
            _ = try await client.get(ResourceKind.team.collectionPath + "?page=2")
            _ = try await client.get(ResourceKind.team.itemPath(id: id))
            _ = try await client.put(ResourceKind.team.itemPath(id: id), ["description": "d"])
            _ = try await client.post(ResourceKind.team.collectionPath, Bodies.team("a"))  // 409: not a write
            _ = try await client.get("/health")

            let stats = try #require(try await client.get("/_sim/stats").json)
            #expect(stats["requests"]?["GET /api/v1/teams"] == 2)
            #expect(stats["requests"]?["POST /api/v1/teams"] == 2)
            #expect(stats["requests"]?["GET /api/v1/teams/{id}"] == 1)
            #expect(stats["requests"]?["PUT /api/v1/teams/{id}"] == 1)
            #expect(stats["requests"]?["GET /health"] == 1)
            #expect(stats["byMethod"]?["GET"] == 4)
            #expect(stats["total"] == 7)
            #expect(stats["writes"] == 2)

            #expect(try await client.post("/_sim/reset", [:]).status == 200)
            let after = try #require(try await client.get("/_sim/stats").json)
            #expect(after["total"] == 0)
            #expect(try await client.get(ResourceKind.team.collectionPath).json?["total"] == 0)
        }
    }
}
