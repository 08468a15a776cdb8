import SynapseContract

/// Checks that a webhook delivery was sent by someone who knows the shared secret.
///
/// Three schemes, tried in this order by which header is present (header names are case-insensitive):
/// - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`
/// - GitLab: `X-Gitlab-Token: <secret>`
/// - generic: `X-Signature-256: sha256=<hex HMAC-SHA256 of the body>` (the `sha256=` prefix is optional)
///
/// All comparisons take time independent of where the inputs differ; the GitLab token is compared through its
/// SHA-256 so that not even its length leaks. Rejection reasons never contain the secret or the presented value.
///
/// ```swift
/// let verifier = WebhookVerifier(secret: Secret("s3cret"))
/// let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
/// let signature = "sha256=" + SHA256.hexString(SHA256.hmac(key: Array("s3cret".utf8), message: body))
/// verifier.verify(headers: ["X-Hub-Signature-256": signature], body: body)   // .accepted(provider: "github")
/// ```
public struct WebhookVerifier: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// `provider` is `github`, `gitlab` or `generic`.
        case accepted(provider: String)
        case rejected(reason: String)
    }

    private let secret: Secret

    public init(secret: Secret) {
        self.secret = secret
    }

    public func verify(headers: [String: String], body: [UInt8]) -> Verdict {
        // An empty secret would accept an empty GitLab token or an HMAC anyone can compute.
        guard !secret.value.isEmpty else { return .rejected(reason: "the webhook secret is empty; webhooks are refused") }
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }

        if let signature = lowered["x-hub-signature-256"] {
            return checkHMAC(signature, body: body, provider: "github", header: "X-Hub-Signature-256", prefixRequired: true)
        }
        if let token = lowered["x-gitlab-token"] {
            let matches = SHA256.constantTimeEquals(SHA256.hash(Array(token.utf8)), SHA256.hash(Array(secret.value.utf8)))
            return matches ? .accepted(provider: "gitlab") : .rejected(reason: "X-Gitlab-Token does not match the webhook secret")
        }
        if let signature = lowered["x-signature-256"] {
            return checkHMAC(signature, body: body, provider: "generic", header: "X-Signature-256", prefixRequired: false)
        }
        return .rejected(reason: "no signature: send X-Hub-Signature-256 (GitHub), X-Gitlab-Token (GitLab) or X-Signature-256")
    }

    private func checkHMAC(_ value: String, body: [UInt8], provider: String, header name: String, prefixRequired: Bool) -> Verdict {
        var text = Substring(value.trimmingWhitespace())
        if text.lowercased().hasPrefix("sha256=") {
            text = text.dropFirst("sha256=".count)
        } else if prefixRequired {
            return .rejected(reason: "\(name) must have the form sha256=<hex>")
        }
        guard let presented = Self.decodeHex(text), presented.count == 32 else {
            return .rejected(reason: "\(name) is not a 64-digit hex SHA-256 HMAC")
        }
        let expected = SHA256.hmac(key: Array(secret.value.utf8), message: body)
        return SHA256.constantTimeEquals(presented, expected)
            ? .accepted(provider: provider)
            : .rejected(reason: "\(name) does not match the body signed with the webhook secret")
    }

    static func decodeHex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
