/// Hides the userinfo (`user:token@`) of URLs so that credentials embedded in a remote URL never reach a log
/// line or an error message.
///
/// ```swift
/// URLRedaction.redactUserinfo("https://bot:ghp_123@github.com/acme/config.git")
/// // "https://***@github.com/acme/config.git"
/// ```
///
/// It works on any text: every `scheme://userinfo@host` inside it is redacted, so a libgit2 message that
/// quotes the URL is safe to pass through it too. scp-like remotes (`git@host:path`) carry no secret and
/// are left alone.
public enum URLRedaction {
    public static func redactUserinfo(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let schemeEnd = rest.firstRange(of: "://") {
            output += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            // The authority ends at the first '/', '?', '#' or whitespace; its userinfo ends at the last '@'.
            let authorityEnd = rest.firstIndex { "/?#".contains($0) || $0.isWhitespace } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                output += "***"
                rest = rest[at...]
            }
        }
        return output + rest
    }
}
