import SynapseContract

/// How to reach a Synapse gateway's management API.
///
/// ```swift
/// let options = GatewayOptions(baseURL: "https://synapse.internal", apiKey: Secret(keyFromEnvironment),
///                              caFile: "/etc/ssl/private-ca.pem")
/// let client = try GatewayClient(options: options)
/// ```
public struct GatewayOptions: Sendable {
    /// Scheme, host and optional port (and path prefix), without the `/api/v1/…` part.
    public var baseURL: String
    public var apiKey: Secret
    /// PEM file of the CA that signed the gateway's certificate, when it is not in the system store.
    public var caFile: String?
    /// Limit for one request (not for its retries together; see `RetryPolicy.maxTotalSeconds`).
    public var timeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    /// Requests in flight at once.
    public var concurrency: Int
    public var retry: RetryPolicy
    public var userAgent: String

    public init(
        baseURL: String, apiKey: Secret, caFile: String? = nil, timeoutSeconds: Double = 30,
        connectTimeoutSeconds: Double = 10, concurrency: Int = 8, retry: RetryPolicy = RetryPolicy(),
        userAgent: String = HTTPTransportOptions.defaultUserAgent
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.concurrency = concurrency
        self.retry = retry
        self.userAgent = userAgent
    }
}
