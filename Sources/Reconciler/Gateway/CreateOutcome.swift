import SynapseContract

/// What a create left on the gateway.
///
/// ```swift
/// let outcome = try await client.create(.virtualKey, body: request)
/// if outcome.secretLost { report.warn("key \(name) exists but its secret was lost; rotate it") }
/// ```
public struct CreateOutcome: Sendable {
    /// The object as the gateway returned it (for a virtual key: the `key` object, without the secret).
    public var object: JSONObject
    /// A virtual key's secret, returned by the gateway once, on create. Nil for other kinds and after a recovery.
    public var secret: Secret?
    /// The create's response was lost (timeout, dropped connection, 5xx) and the object was then found by its
    /// natural key instead of being created again.
    public var recoveredAfterUnknownOutcome: Bool

    public init(object: JSONObject, secret: Secret? = nil, recoveredAfterUnknownOutcome: Bool = false) {
        self.object = object
        self.secret = secret
        self.recoveredAfterUnknownOutcome = recoveredAfterUnknownOutcome
    }

    /// The create was recovered without a secret. Only meaningful for virtual keys (the one kind with a secret):
    /// such a key exists but its one-time secret never reached us, so it must be rotated to be used.
    public var secretLost: Bool { recoveredAfterUnknownOutcome && secret == nil }
}
