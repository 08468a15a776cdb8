import Foundation
import Testing

@testable import Reconciler

/// The git source over SSH against a loopback OpenSSH server: key authentication and known_hosts checking.
/// Runs where `openssh-server` is installed (`apt-get install openssh-server`).
@Suite(.enabled(if: SSHServer.isAvailable), .timeLimit(.minutes(2))) struct GitSourceSSHTests {
    let fixture: GitFixture
    let origin: String
    let first: String

    init() throws {
        fixture = try GitFixture()
        origin = try fixture.makeRepository("origin")
        first = try fixture.commit(in: origin, files: ["config.yaml": "model_list: []\n"], message: "First")
    }

    private func fetch(_ ssh: SSHServer, knownHosts: String, key: String? = nil) throws -> GitRevision {
        let path = fixture.folder("known_hosts-\(UUID().uuidString)")
        try Data(knownHosts.utf8).write(to: URL(fileURLWithPath: path))
        let credentials = GitCredentials.sshKey(
            privateKeyPath: key ?? ssh.clientKey, publicKeyPath: nil, passphrase: nil, knownHostsPath: path)
        let options = GitSourceOptions(
            url: "ssh://\(ssh.user)@127.0.0.1:\(ssh.port)\(origin)", ref: "main", cacheDir: fixture.folder("cache"),
            credentials: credentials, fetchTimeoutSeconds: 20)
        return try GitSource(options: options).fetch()
    }

    @Test func fetchesWithAKeyFromAHostInKnownHosts() throws {
        let ssh = try SSHServer(in: fixture)
        defer { ssh.stop() }
        #expect(try fetch(ssh, knownHosts: ssh.knownHostsLine + "\n").commit == first)
    }

    @Test func acceptsAHashedKnownHostsEntry() throws {
        let ssh = try SSHServer(in: fixture)
        defer { ssh.stop() }
        let path = fixture.folder("hashed_known_hosts")
        try Data((ssh.knownHostsLine + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(try ProcessRunner.run("/usr/bin/ssh-keygen", ["-H", "-f", path]).status == 0)
        let hashed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(hashed.hasPrefix("|1|"))
        #expect(try fetch(ssh, knownHosts: hashed).commit == first)
    }

    @Test func refusesAnUnknownHostOrAChangedKey() throws {
        let ssh = try SSHServer(in: fixture)
        defer { ssh.stop() }
        let unknown = #expect(throws: GitSourceError.self) { try fetch(ssh, knownHosts: "") }
        #expect(unknown?.kind == .hostKeyRejected)
        #expect(unknown?.message.contains("[127.0.0.1]:\(ssh.port)") == true)

        let otherKey = fixture.folder("other-host-key")
        try SSHServer.keygen(otherKey)
        let fields = try String(contentsOfFile: otherKey + ".pub", encoding: .utf8).split(separator: " ")
        let changed = #expect(throws: GitSourceError.self) {
            try fetch(ssh, knownHosts: "[127.0.0.1]:\(ssh.port) \(fields[0]) \(fields[1])\n")
        }
        #expect(changed?.kind == .hostKeyRejected)
        #expect(changed?.message.contains("does not match") == true)
    }

    @Test func aKeyTheServerDoesNotKnowFailsFast() throws {
        let ssh = try SSHServer(in: fixture)
        defer { ssh.stop() }
        let stranger = fixture.folder("stranger")
        try SSHServer.keygen(stranger)
        let started = Date()
        let error = #expect(throws: GitSourceError.self) { try fetch(ssh, knownHosts: ssh.knownHostsLine, key: stranger) }
        #expect(error?.kind == .authFailed)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
