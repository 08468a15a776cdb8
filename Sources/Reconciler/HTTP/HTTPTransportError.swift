/// Why `HTTPTransport` got no HTTP response. Messages name the method and the URL path, never headers or bodies.
///
/// The important split is `requestMayHaveBeenProcessed`: a failure before the request left this process is safe to
/// retry for any method; after it, a POST may have created something and must be checked before it is repeated.
///
/// ```swift
/// do { _ = try await transport.send(request) }
/// catch where error.requestMayHaveBeenProcessed { /* look before creating again */ }
/// ```
public enum HTTPTransportError: Error, Sendable, CustomStringConvertible {
    /// No connection could be made (DNS, refused, unreachable, proxy): nothing was sent.
    case connectionFailed(method: String, path: String, reason: String)
    /// The TLS handshake failed (certificate not trusted, name mismatch): nothing was sent.
    case tlsFailure(method: String, path: String, reason: String)
    /// No complete response within the time limit. `requestSent` tells whether the request had gone out.
    case timedOut(method: String, path: String, seconds: Double, requestSent: Bool)
    /// The request was sent but the connection broke before a complete response: it may have been processed.
    case noResponse(method: String, path: String, reason: String)
    /// The URL or request could not be used at all.
    case invalidRequest(method: String, path: String, reason: String)
    /// The caller's task was cancelled or the transport shut down. `requestSent` as for `timedOut`.
    case cancelled(method: String, path: String, requestSent: Bool)

    /// Whether the server may have acted on the request although no response arrived.
    public var requestMayHaveBeenProcessed: Bool {
        switch self {
        case .connectionFailed, .tlsFailure, .invalidRequest: return false
        case .timedOut(_, _, _, let sent), .cancelled(_, _, let sent): return sent
        case .noResponse: return true
        }
    }

    /// Whether trying again later could succeed (network trouble, not a configuration mistake).
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .timedOut, .noResponse: return true
        case .tlsFailure, .invalidRequest, .cancelled: return false
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let m, let p, _), .tlsFailure(let m, let p, _), .timedOut(let m, let p, _, _),
            .noResponse(let m, let p, _), .invalidRequest(let m, let p, _), .cancelled(let m, let p, _):
            return "\(m) \(p): \(problem)"
        }
    }

    /// What went wrong and what to do, without the method and path (for messages that name the request already).
    public var problem: String {
        switch self {
        case .connectionFailed(_, _, let reason):
            return "could not connect (\(reason)); check the gateway URL, network and proxy settings"
        case .tlsFailure(_, _, let reason):
            return "TLS failure (\(reason)); if the gateway uses a private CA, pass its certificate as the CA file"
        case .timedOut(_, _, let seconds, let sent):
            return "timed out after \(seconds) s "
                + (sent ? "after the request was sent; it may have been processed" : "before the request was sent")
        case .noResponse(_, _, let reason):
            return "connection lost after the request was sent (\(reason)); it may have been processed"
        case .invalidRequest(_, _, let reason):
            return "invalid request (\(reason))"
        case .cancelled:
            return "cancelled"
        }
    }
}
