import Mapping
import SynapseContract

/// A non-reversible stand-in for a write-only secret, kept on the object so a changed key can be detected.
///
/// HMAC-SHA256 keyed by the object and field, so equal keys on two integrations do not share a fingerprint and a
/// fingerprint cannot be looked up in a table of known keys. Only 128 bits are kept.
public enum SecretFingerprint {
    public static func of(_ secret: String, object: ObjectRef, field: String) -> String {
        let key = Array("litellm-synapse/v1/\(object.kind.rawValue)/\(object.key)/\(field)".utf8)
        let mac = SHA256.hmac(key: key, message: Array(secret.utf8))
        return "hmac-sha256:" + SHA256.hexString(Array(mac.prefix(16)))
    }
}
