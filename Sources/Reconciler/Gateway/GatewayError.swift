/// A gateway call that failed, with what a person needs to act: the method and path, the HTTP status, and the
/// gateway's own error type and message. Never the API key or a request body.
///
/// ```swift
/// do { try await client.delete(.team, id: id) }
/// catch { print(error) }   // DELETE /api/v1/teams/42: HTTP 403 authorization_error: … ; check SYNAPSE_API_KEY …
/// ```
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public let method: String
    /// Path and query of the request, without scheme and host.
    public let path: String
    /// HTTP status, or nil when no response arrived.
    public let status: Int?
    /// The gateway's `error.type` (`validation_error`, `not_found`, …) when it sent one.
    public let errorType: String?
    /// The gateway's `error.message`, or what went wrong on our side.
    public let message: String
    /// Why no response arrived, if that is the failure.
    public let transportError: HTTPTransportError?
    /// Attempts made, retries included.
    public let attempts: Int

    public init(
        method: String, path: String, status: Int? = nil, errorType: String? = nil, message: String,
        transportError: HTTPTransportError? = nil, attempts: Int = 1
    ) {
        self.method = method
        self.path = path
        self.status = status
        self.errorType = errorType
        self.message = message
        self.transportError = transportError
        self.attempts = attempts
    }

    public var isNotFound: Bool { status == 404 }
    public var isAuthenticationFailure: Bool { status == 401 || status == 403 }

    public var description: String {
        var text = method.isEmpty ? "" : "\(method) \(path): "
        if let status { text += "HTTP \(status)" + (errorType.map { " \($0)" } ?? "") + ": " }
        text += message
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        if isAuthenticationFailure {
            text += "; check the gateway API key given in SYNAPSE_API_KEY or --api-key-file and its permissions"
        }
        return text
    }
}
