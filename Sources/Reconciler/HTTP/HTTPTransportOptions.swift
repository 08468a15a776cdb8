/// Settings of an `HTTPTransport`.
///
/// ```swift
/// let transport = HTTPTransport(options: HTTPTransportOptions(timeoutSeconds: 30, caFile: "/etc/synapse/ca.pem"))
/// ```
///
/// Proxies come from the standard environment variables (`https_proxy`, `HTTPS_PROXY`, `no_proxy`, …), which
/// libcurl reads itself.
public struct HTTPTransportOptions: Sendable {
    /// Requests in flight at once; the rest wait in order.
    public var maxConcurrentRequests: Int
    /// Limit for establishing a connection (TCP + TLS).
    public var connectTimeoutSeconds: Double
    /// Limit for one whole request, from its start on the wire to the last byte of the response.
    public var timeoutSeconds: Double
    /// PEM file of the certificate authorities to trust instead of the system store. Verification stays on.
    public var caFile: String?
    public var userAgent: String

    public static let defaultUserAgent = "litellm-synapse/0.1.0"

    public init(
        maxConcurrentRequests: Int = 8, connectTimeoutSeconds: Double = 10, timeoutSeconds: Double = 30,
        caFile: String? = nil, userAgent: String = HTTPTransportOptions.defaultUserAgent
    ) {
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.timeoutSeconds = timeoutSeconds
        self.caFile = caFile
        self.userAgent = userAgent
    }
}
