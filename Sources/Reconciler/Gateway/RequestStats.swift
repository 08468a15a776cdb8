/// Counts of the requests a `GatewayClient` sent, for reports, metrics and benchmarks.
///
/// ```swift
/// let stats = client.requestStats
/// print(stats.count(method: "GET"), stats.count(method: "POST", status: 201), stats.retries)
/// ```
public struct RequestStats: Sendable, Equatable {
    /// One method and outcome; `status` 0 means no HTTP response (connection failure, timeout).
    public struct Key: Hashable, Sendable, Comparable {
        public let method: String
        public let status: Int

        public static func < (a: Key, b: Key) -> Bool { (a.method, a.status) < (b.method, b.status) }
    }

    public private(set) var counts: [Key: Int] = [:]
    /// Attempts that repeated an earlier failed one.
    public private(set) var retries = 0
    /// Creates whose outcome was unknown and whose object was then found by natural key.
    public private(set) var recoveredCreates = 0

    public init() {}

    public var total: Int { counts.values.reduce(0, +) }

    /// Requests with `method`, and with `status` if given (0 = no response).
    public func count(method: String, status: Int? = nil) -> Int {
        counts.filter { $0.key.method == method && (status == nil || $0.key.status == status) }.values.reduce(0, +)
    }

    /// The requests counted here but not in `earlier` (the cost of one pass on a long-lived client).
    public func since(_ earlier: RequestStats) -> RequestStats {
        var delta = RequestStats()
        for (key, count) in counts where count - (earlier.counts[key] ?? 0) > 0 { delta.counts[key] = count - (earlier.counts[key] ?? 0) }
        delta.retries = retries - earlier.retries
        delta.recoveredCreates = recoveredCreates - earlier.recoveredCreates
        return delta
    }

    mutating func record(method: String, status: Int) { counts[Key(method: method, status: status), default: 0] += 1 }
    mutating func recordRetry() { retries += 1 }
    mutating func recordRecoveredCreate() { recoveredCreates += 1 }
}
