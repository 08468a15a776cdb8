/// Why the git source could not fetch, resolve or read; the caller keeps its last good revision.
///
/// Messages name the remote with its userinfo redacted and never contain credentials.
///
/// ```swift
/// do { revision = try source.fetch() }
/// catch where error.kind == .refNotFound { log.warning("\(error)") }
/// ```
public struct GitSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The options cannot work (empty URL, ssh URL without a known_hosts file, …).
        case invalidOptions
        /// The remote could not be reached or read (no such path, connection refused, DNS, protocol error).
        case unreachable
        /// The remote refused the credentials, or asked for credentials that were not configured.
        case authFailed
        /// The SSH host key is unknown or does not match the known_hosts file; or a TLS certificate is invalid.
        case hostKeyRejected
        /// The fetch took longer than `fetchTimeoutSeconds`.
        case timedOut
        /// The ref (branch, tag, commit) does not exist on the remote, or the remote is empty.
        case refNotFound
        /// The local cache could not be created or written.
        case cache
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = URLRedaction.redactUserinfo(message)
    }

    public var description: String { "git \(kind.rawValue): \(message)" }
}
