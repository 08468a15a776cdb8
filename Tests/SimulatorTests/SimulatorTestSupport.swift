import Foundation
import SynapseContract
import SynapseSimulator
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let testKey = "sim-test-key-0123456789"

/// Starts a simulator on an ephemeral loopback port, runs `body` with a client for it, and always stops it.
func withSimulator<T>(
    faults: FaultOptions = .none, seed: UInt64 = 7,
    _ body: (RunningSimulator, SimClient) async throws -> T
) async throws -> T {
    let simulator = try await SynapseSimulator.start(options: SimulatorOptions(apiKey: Secret(testKey), faults: faults, seed: seed))
    let client = SimClient(baseURL: simulator.baseURL)
    do {
        let result = try await body(simulator, client)
        await simulator.stop()
        return result
    } catch {
        await simulator.stop()
        throw error
    }
}

/// One HTTP answer: status, parsed JSON body (nil when empty) and headers.
struct SimReply: Sendable {
    let status: Int
    let json: JSONValue?
    let headers: [String: String]

    var errorType: String? { json?["error"]?["type"]?.stringValue }
    var errorMessage: String { json?["error"]?["message"]?.stringValue ?? "" }
}

/// A minimal URLSession client; every request has a timeout.
struct SimClient: Sendable {
    let baseURL: String
    var key: String? = testKey

    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, timeout: TimeInterval = 10) async throws -> SimReply {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.serialized().utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        let json = data.isEmpty ? nil : try JSONValue.parse(Array(data))
        return SimReply(status: http.statusCode, json: json, headers: headers)
    }

    func get(_ path: String) async throws -> SimReply { try await send("GET", path) }
    func post(_ path: String, _ body: JSONValue) async throws -> SimReply { try await send("POST", path, body) }
    func put(_ path: String, _ body: JSONValue) async throws -> SimReply { try await send("PUT", path, body) }
    func delete(_ path: String) async throws -> SimReply { try await send("DELETE", path) }
}

enum Bodies {
    static func integration(_ name: String, apiKey: String = "sk-live-secret-9876") -> JSONValue {
        ["name": .string(name), "providerType": "OPEN_AI", "apiKey": .string(apiKey), "description": "test [managed-by:litellm-synapse]"]
    }

    static func team(_ name: String) -> JSONValue { ["name": .string(name), "budgetPeriod": "monthly", "maxBudgetCents": 5000] }
}
