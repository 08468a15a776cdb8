import Foundation

/// An OpenSSH server on 127.0.0.1 that lets the current user in with a generated key, for the SSH git tests.
///
/// Keys are RSA in PEM form: Debian's libssh2 is built with libgcrypt, which knows no ed25519 or ECDSA, and
/// OpenSSH 9 needs `ssh-rsa` re-enabled for it. Stop it with `stop()` (SIGKILL).
///
/// ```swift
/// let ssh = try SSHServer(in: fixture)
/// defer { ssh.stop() }
/// // ssh://\(ssh.user)@127.0.0.1:\(ssh.port)/path/to/repo with ssh.clientKey and ssh.knownHostsLine
/// ```
final class SSHServer {
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") }

    let user = ProcessInfo.processInfo.userName
    let clientKey: String
    /// The server's key as a known_hosts line for `[127.0.0.1]:port`.
    let knownHostsLine: String
    private let server: FixtureServer
    var port: Int { server.port }

    init(in fixture: GitFixture) throws {
        let dir = fixture.folder("ssh")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.keygen(dir + "/host")
        clientKey = dir + "/client"
        try Self.keygen(clientKey)
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: dir + "/authorized_keys")
        let port = try GitFixtureNetwork.freePort()
        let hostKey = try String(contentsOfFile: dir + "/host.pub", encoding: .utf8).split(separator: " ")
        knownHostsLine = "[127.0.0.1]:\(port) \(hostKey[0]) \(hostKey[1])"
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host
            AuthorizedKeysFile \(dir)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            HostKeyAlgorithms +ssh-rsa
            PubkeyAcceptedAlgorithms +ssh-rsa
            PidFile \(dir)/sshd.pid
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/sshd_config"))
        // sshd refuses to start without its privilege separation folder.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        server = try FixtureServer("/usr/sbin/sshd", ["-D", "-e", "-f", dir + "/sshd_config"], port: port)
    }

    func stop() { server.stop() }

    /// A key pair at `path` and `path.pub`.
    static func keygen(_ path: String) throws {
        let result = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", "", "-f", path])
        guard result.status == 0 else { throw FixtureError("ssh-keygen failed: \(result.stderr)") }
    }
}
