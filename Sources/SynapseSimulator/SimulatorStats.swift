import SynapseContract

/// Counters served by `GET /_sim/stats`: requests per route template (`GET /api/v1/teams/{id}`) and per method,
/// committed writes, and injected faults per kind. `/_sim/` requests are not counted.
struct SimulatorStats: Sendable {
    private(set) var byRoute: [String: Int] = [:]
    private(set) var byMethod: [String: Int] = [:]
    private(set) var faults: [String: Int] = [:]
    private(set) var total = 0

    mutating func count(method: String, route: String) {
        byRoute["\(method) \(route)", default: 0] += 1
        byMethod[method, default: 0] += 1
        total += 1
    }

    mutating func countFault(_ kind: String) {
        faults[kind, default: 0] += 1
    }

    func json(writes: Int) -> JSONValue {
        [
            "requests": .object(JSONObject(byRoute.mapValues { JSONValue.int($0) })), "byMethod": .object(JSONObject(byMethod.mapValues { JSONValue.int($0) })),
            "total": .int(total), "writes": .int(writes), "faults": .object(JSONObject(faults.mapValues { JSONValue.int($0) })),
        ]
    }
}
