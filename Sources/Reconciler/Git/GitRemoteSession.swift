import CGit2
import FoundationEssentials
import Glibc

/// What libgit2's remote callbacks need during one connect-and-fetch: the credentials (each offered once),
/// the known hosts, the deadline, and the first failure a callback saw, which names the cause better than
/// libgit2's own message does.
///
/// Passed to C as the callbacks' payload; it must outlive the libgit2 calls that use it.
final class GitRemoteSession {
    private let credentials: GitCredentials
    private let knownHosts: KnownHosts?
    private let remote: GitRemoteURL
    private let deadline: ContinuousClock.Instant
    private let timeoutSeconds: Double
    private var offeredTypes: Set<UInt32> = []
    /// Set by a callback that refused to go on; takes precedence over libgit2's message.
    private(set) var failure: GitSourceError?

    init(options: GitSourceOptions, knownHosts: KnownHosts?) {
        credentials = options.credentials
        self.knownHosts = knownHosts
        remote = GitRemoteURL(options.url)
        timeoutSeconds = options.fetchTimeoutSeconds
        deadline = .now + .milliseconds(Int64(options.fetchTimeoutSeconds * 1000))
    }

    /// Fills `callbacks` with this session's C callbacks; the session must stay alive while they are in use.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.credentials = gitCredentialCallback
        callbacks.certificate_check = gitCertificateCheckCallback
        callbacks.transfer_progress = gitTransferProgressCallback
        callbacks.sideband_progress = gitSidebandProgressCallback
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
    }

    /// Returns 0 to go on, or a negative code after recording why not.
    func checkDeadline() -> Int32 {
        guard ContinuousClock.now > deadline else { return 0 }
        return fail(GitSourceError(.timedOut, "the fetch took longer than \(timeoutSeconds) s; cancelled"), code: GIT_EUSER)
    }

    func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, usernameFromURL: String?, allowed: UInt32) -> Int32 {
        let deadlineCheck = checkDeadline()
        guard deadlineCheck == 0 else { return deadlineCheck }
        func offer(_ type: git_credential_t, _ make: () -> Int32) -> Int32? {
            guard allowed & type.rawValue != 0 else { return nil }
            // libgit2 asks again after a refusal; a second request for the same type means the first was wrong.
            guard offeredTypes.insert(type.rawValue).inserted else {
                return fail(GitSourceError(.authFailed, "the remote rejected the configured credentials; check them"), code: GIT_EAUTH)
            }
            return make()
        }
        switch credentials {
        case .none:
            break
        case .httpsToken(let token, let username):
            if let code = offer(GIT_CREDENTIAL_USERPASS_PLAINTEXT, { git_credential_userpass_plaintext_new(out, username, token.value) }) {
                return code
            }
        case .userPassword(let username, let password):
            if let code = offer(GIT_CREDENTIAL_USERPASS_PLAINTEXT, { git_credential_userpass_plaintext_new(out, username, password.value) }) {
                return code
            }
        case .sshKey(let privateKeyPath, let publicKeyPath, let passphrase, _):
            let username = usernameFromURL ?? "git"
            if let code = offer(GIT_CREDENTIAL_SSH_KEY, {
                git_credential_ssh_key_new(out, username, publicKeyPath, privateKeyPath, passphrase?.value)
            }) {
                return code
            }
            if let code = offer(GIT_CREDENTIAL_USERNAME, { git_credential_username_new(out, username) }) { return code }
        }
        return fail(
            GitSourceError(.authFailed, "the remote asks for credentials (\(Self.describe(allowed))) that are not configured; set them"),
            code: GIT_EAUTH)
    }

    func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            if valid { return 0 }
            return fail(GitSourceError(.hostKeyRejected, "the TLS certificate of \(host) is not trusted"), code: GIT_ECERTIFICATE)
        }
        let hostKey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let name = KnownHosts.name(host: host, port: remote.port)
        guard let knownHosts else {
            return fail(GitSourceError(.hostKeyRejected, "no known_hosts file to check the SSH host key of \(name); use sshKey credentials"), code: GIT_ECERTIFICATE)
        }
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
            return fail(GitSourceError(.hostKeyRejected, "libgit2 gave no raw SSH host key for \(name) to check"), code: GIT_ECERTIFICATE)
        }
        let key = [UInt8](UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
        switch knownHosts.check(host: host, port: remote.port, key: key) {
        case .trusted:
            return 0
        case .unknownHost:
            return fail(GitSourceError(.hostKeyRejected, "SSH host \(name) is not in the known_hosts file; add its key (ssh-keyscan) after checking it"), code: GIT_ECERTIFICATE)
        case .mismatch:
            return fail(GitSourceError(.hostKeyRejected, "the SSH host key of \(name) does not match the known_hosts file; refusing (the key changed or the connection is intercepted)"), code: GIT_ECERTIFICATE)
        case .revoked:
            return fail(GitSourceError(.hostKeyRejected, "the SSH host key of \(name) is marked @revoked in the known_hosts file"), code: GIT_ECERTIFICATE)
        }
    }

    private func fail(_ error: GitSourceError, code: git_error_code) -> Int32 {
        if failure == nil { failure = error }
        git_error_set_str(Int32(GIT_ERROR_CALLBACK.rawValue), error.message)
        return code.rawValue
    }

    private static func describe(_ allowed: UInt32) -> String {
        let names: [(git_credential_t, String)] = [
            (GIT_CREDENTIAL_USERPASS_PLAINTEXT, "user and password or token"), (GIT_CREDENTIAL_SSH_KEY, "SSH key"),
            (GIT_CREDENTIAL_USERNAME, "user name"),
        ]
        let wanted = names.filter { allowed & $0.0.rawValue != 0 }.map(\.1)
        return wanted.isEmpty ? "an unsupported kind" : wanted.joined(separator: " or ")
    }

    fileprivate static func from(_ payload: UnsafeMutableRawPointer?) -> GitRemoteSession? {
        payload.map { Unmanaged<GitRemoteSession>.fromOpaque($0).takeUnretainedValue() }
    }
}

private let gitCredentialCallback: git_credential_acquire_cb = { out, _, usernameFromURL, allowed, payload in
    guard let out, let session = GitRemoteSession.from(payload) else { return -1 }
    return session.credential(out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
}

private let gitCertificateCheckCallback: git_transport_certificate_check_cb = { cert, valid, host, payload in
    guard let cert, let session = GitRemoteSession.from(payload) else { return -1 }
    return session.checkCertificate(cert, valid: valid != 0, host: host.map { String(cString: $0) } ?? "?")
}

private let gitTransferProgressCallback: git_indexer_progress_cb = { _, payload in
    GitRemoteSession.from(payload)?.checkDeadline() ?? 0
}

private let gitSidebandProgressCallback: git_transport_message_cb = { _, _, payload in
    GitRemoteSession.from(payload)?.checkDeadline() ?? 0
}
