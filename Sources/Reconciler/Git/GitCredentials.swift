import SynapseContract

/// How to authenticate to the git remote. Secret parts are `Secret`, so printing a value never shows them.
///
/// ```swift
/// let token = GitCredentials.httpsToken(Secret(env["GIT_TOKEN"]!))            // GitHub, GitLab tokens
/// let key = GitCredentials.sshKey(privateKeyPath: "/etc/git/id_ed25519", publicKeyPath: nil,
///                                 passphrase: nil, knownHostsPath: "/etc/git/known_hosts")
/// ```
public enum GitCredentials: Sendable, Hashable {
    /// Public repositories, local paths, `git://`.
    case none
    /// HTTPS with a token sent as the Basic-auth password.
    case httpsToken(Secret, username: String = "x-access-token")
    /// HTTPS Basic auth with a user name and password.
    case userPassword(String, Secret)
    /// SSH with a private key file; the host key must be listed in `knownHostsPath`
    /// (plain or hashed entries, `[host]:port` for other ports).
    case sshKey(privateKeyPath: String, publicKeyPath: String?, passphrase: Secret?, knownHostsPath: String)
}
