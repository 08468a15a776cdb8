import SynapseContract

/// Faults the simulator injects into `/api/` requests (never into `/health`, `/ready` or `/_sim/`).
///
/// Each rate is a probability in 0...1, drawn per request from the simulator's seeded generator, in this order:
/// drop before commit, rate limit (429), server error (500/502/503), then — for writes that succeed — drop after
/// commit, commit then time out. Latency is added to every `/api/` response that is sent.
///
/// Set at start (`SimulatorOptions.faults`) or at run time with `POST /_sim/faults` and a JSON body using the
/// same field names (absent fields take the defaults below; the body replaces the whole set):
///
/// ```swift
/// var faults = FaultOptions()
/// faults.errorRate = 0.2                     // one /api/ request in five gets 500, 502 or 503
/// faults.commitThenTimeoutRate = 1           // every write is applied, then answered 504
/// faults.timeoutBehavior = .gatewayTimeout
/// // curl -X POST $SIM/_sim/faults -H 'Authorization: Bearer …' -d '{"errorRate":0.2}'
/// ```
public struct FaultOptions: Sendable, Hashable {
    /// What "commit then time out" does after applying the write.
    public enum TimeoutBehavior: Sendable, Hashable {
        /// Hold the (real) response this many seconds: longer than the client's timeout, so it gives up.
        case hold(seconds: Double)
        /// Answer 504 `timeout_error` at once.
        case gatewayTimeout
    }

    /// Probability of a 500 `internal_error`, 502 `proxy_error` or 503 `service_unavailable` (one third each).
    public var errorRate: Double = 0
    /// Probability of a 429 `rate_limit_error` carrying `retry_after_secs` and a `Retry-After` header.
    public var rateLimitRate: Double = 0
    public var retryAfterSeconds: Int = 1
    /// Added before every `/api/` response.
    public var latencyMilliseconds: Int = 0
    /// Probability that a write is applied and then answered late or with 504.
    public var commitThenTimeoutRate: Double = 0
    public var timeoutBehavior: TimeoutBehavior = .hold(seconds: 30)
    /// Probability of closing the connection without a response, before doing anything.
    public var dropBeforeCommitRate: Double = 0
    /// Probability of applying a write and then closing the connection without a response.
    public var dropAfterCommitRate: Double = 0

    public init() {}

    /// No faults at all.
    public static let none = FaultOptions()

    /// A fault set read from `POST /_sim/faults`; the error says which field is wrong.
    public init(json: JSONValue) throws(FaultOptionsError) {
        guard case .object(let fields) = json else { throw FaultOptionsError("the body must be a JSON object") }
        let known: Set<String> = [
            "errorRate", "rateLimitRate", "retryAfterSeconds", "latencyMilliseconds", "commitThenTimeoutRate",
            "timeoutBehavior", "holdSeconds", "dropBeforeCommitRate", "dropAfterCommitRate",
        ]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) {
            throw FaultOptionsError("unknown field \(unknown); known fields: \(known.sorted().joined(separator: ", "))")
        }
        func rate(_ name: String) throws(FaultOptionsError) -> Double {
            guard let value = fields[name] else { return 0 }
            guard let number = value.doubleValue, (0...1).contains(number) else {
                throw FaultOptionsError("\(name) must be a number between 0 and 1")
            }
            return number
        }
        func count(_ name: String, _ fallback: Int) throws(FaultOptionsError) -> Int {
            guard let value = fields[name] else { return fallback }
            guard let number = value.intValue, number >= 0 else { throw FaultOptionsError("\(name) must be an integer ≥ 0") }
            return number
        }
        errorRate = try rate("errorRate")
        rateLimitRate = try rate("rateLimitRate")
        commitThenTimeoutRate = try rate("commitThenTimeoutRate")
        dropBeforeCommitRate = try rate("dropBeforeCommitRate")
        dropAfterCommitRate = try rate("dropAfterCommitRate")
        retryAfterSeconds = try count("retryAfterSeconds", 1)
        latencyMilliseconds = try count("latencyMilliseconds", 0)
        switch fields["timeoutBehavior"]?.stringValue ?? "hold" {
        case "hold":
            let seconds = fields["holdSeconds"]?.doubleValue ?? 30
            guard seconds >= 0 else { throw FaultOptionsError("holdSeconds must be ≥ 0") }
            timeoutBehavior = .hold(seconds: seconds)
        case "gatewayTimeout":
            timeoutBehavior = .gatewayTimeout
        default:
            throw FaultOptionsError("timeoutBehavior must be \"hold\" or \"gatewayTimeout\"")
        }
    }

    /// The JSON form accepted by `init(json:)`.
    public var json: JSONValue {
        var fields: JSONObject = [
            "errorRate": .double(errorRate), "rateLimitRate": .double(rateLimitRate),
            "retryAfterSeconds": .int(retryAfterSeconds), "latencyMilliseconds": .int(latencyMilliseconds),
            "commitThenTimeoutRate": .double(commitThenTimeoutRate),
            "dropBeforeCommitRate": .double(dropBeforeCommitRate), "dropAfterCommitRate": .double(dropAfterCommitRate),
        ]
        switch timeoutBehavior {
        case .hold(let seconds):
            fields["timeoutBehavior"] = "hold"
            fields["holdSeconds"] = .double(seconds)
        case .gatewayTimeout:
            fields["timeoutBehavior"] = "gatewayTimeout"
        }
        return .object(fields)
    }
}

/// A `POST /_sim/faults` body that cannot be used.
public struct FaultOptionsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = "invalid fault options: " + description }
}
