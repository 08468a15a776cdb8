/// When and how long the gateway client waits before trying a request again.
///
/// Exponential backoff with full jitter: before retry `n` the client sleeps a random time in
/// `0...min(maxDelaySeconds, baseDelaySeconds * 2^(n-1))`, at least the server's own hint (`retry_after_secs`,
/// `Retry-After`) capped at `maxRetryAfterSeconds`. It stops after `maxAttempts` or `maxTotalSeconds`.
///
/// ```swift
/// let patient = RetryPolicy(maxAttempts: 8, baseDelaySeconds: 1, maxDelaySeconds: 60)
/// let fastForTests = RetryPolicy(baseDelaySeconds: 0.001, maxDelaySeconds: 0.01)
/// ```
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double
    /// No retry starts once this much time has passed since the first attempt.
    public var maxTotalSeconds: Double
    /// Upper bound on a server's retry hint, so a wrong hint cannot stall a run.
    public var maxRetryAfterSeconds: Double
    /// Randomise each delay (full jitter) so that many clients do not retry in step.
    public var jitter: Bool

    public init(
        maxAttempts: Int = 5, baseDelaySeconds: Double = 0.5, maxDelaySeconds: Double = 30,
        maxTotalSeconds: Double = 120, maxRetryAfterSeconds: Double = 60, jitter: Bool = true
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelaySeconds = max(0, baseDelaySeconds)
        self.maxDelaySeconds = max(0, maxDelaySeconds)
        self.maxTotalSeconds = maxTotalSeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait before retry number `retry` (1 for the first retry), given the server's hint if any.
    public func delay(beforeRetry retry: Int, serverHint: Double?) -> Double {
        let exponent = Double(min(max(retry - 1, 0), 30))
        let ceiling = min(maxDelaySeconds, baseDelaySeconds * pow2(exponent))
        var seconds = jitter ? Double.random(in: 0...ceiling) : ceiling
        if let serverHint, serverHint > 0 { seconds = max(seconds, min(serverHint, maxRetryAfterSeconds)) }
        return seconds
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
