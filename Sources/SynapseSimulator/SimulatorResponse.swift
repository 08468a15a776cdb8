import SynapseContract

/// What the simulated gateway answers, before it becomes an HTTP response.
struct SimulatorResponse: Sendable {
    var status: Int
    var body: JSONValue?
    /// Sent as the `Retry-After` header.
    var retryAfterSeconds: Int?

    static func json(_ status: Int, _ body: JSONValue) -> SimulatorResponse {
        SimulatorResponse(status: status, body: body)
    }

    static let noContent = SimulatorResponse(status: 204, body: nil)
}

/// A failure in the gateway's error shape: `{"error": {"message", "type", "code"}}`.
///
/// Types and statuses follow synapse-api-notes.md. Two choices where the contract is silent:
/// a duplicate natural key on create is 409 with type `invalid_request_error` and code `conflict`;
/// a 429 carries `retry_after_secs` inside the `error` object (and a `Retry-After` header).
struct GatewayError: Error, Sendable {
    var status: Int
    var type: String
    var code: String
    var message: String
    var extra: JSONObject = [:]
    var retryAfterSeconds: Int?

    var response: SimulatorResponse {
        var error: JSONObject = ["message": .string(message), "type": .string(type), "code": .string(code)]
        error.merge(extra) { current, _ in current }
        return SimulatorResponse(status: status, body: ["error": .object(error)], retryAfterSeconds: retryAfterSeconds)
    }

    static func validation(_ message: String, code: String) -> GatewayError {
        GatewayError(status: 400, type: "validation_error", code: code, message: message)
    }

    static func invalidRequest(_ message: String, code: String) -> GatewayError {
        GatewayError(status: 400, type: "invalid_request_error", code: code, message: message)
    }

    static func notFound(_ message: String) -> GatewayError {
        GatewayError(status: 404, type: "not_found", code: "not_found", message: message)
    }

    static func conflict(_ message: String) -> GatewayError {
        GatewayError(status: 409, type: "invalid_request_error", code: "conflict", message: message)
    }

    static let unauthenticated = GatewayError(
        status: 401, type: "authentication_error", code: "invalid_api_key",
        message: "missing or invalid API key: send Authorization: Bearer <key>")

    static func methodNotAllowed(_ method: String, _ path: String) -> GatewayError {
        GatewayError(status: 405, type: "invalid_request_error", code: "method_not_allowed",
            message: "\(method) is not supported on \(path)")
    }

    static func rateLimited(retryAfter: Int) -> GatewayError {
        GatewayError(status: 429, type: "rate_limit_error", code: "rate_limit_exceeded",
            message: "rate limit exceeded (simulated): retry after \(retryAfter) s",
            extra: ["retry_after_secs": .int(retryAfter)], retryAfterSeconds: retryAfter)
    }

    /// The three retryable server errors the error-rate fault picks from.
    static let serverErrors: [GatewayError] = [
        GatewayError(status: 500, type: "internal_error", code: "internal_error", message: "internal error (simulated)"),
        GatewayError(status: 502, type: "proxy_error", code: "bad_gateway", message: "upstream proxy error (simulated)"),
        GatewayError(status: 503, type: "service_unavailable", code: "service_unavailable",
            message: "service unavailable (simulated)"),
    ]

    static let gatewayTimeout = GatewayError(
        status: 504, type: "timeout_error", code: "gateway_timeout",
        message: "the request timed out (simulated); it may have been applied: read before retrying")
}
