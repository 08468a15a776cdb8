import Foundation
import Testing

@testable import Reconciler

/// SHA-1/HMAC-SHA-1 against published vectors, known_hosts matching against files made by OpenSSH's
/// `ssh-keygen`, remote URL parsing and redaction.
@Suite struct GitKnownHostsTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha1MatchesFIPSVectors() {
        #expect(hex(HMACSHA1.sha1([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(HMACSHA1.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            hex(HMACSHA1.sha1(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(HMACSHA1.sha1([UInt8](repeating: 0x61, count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func hmacSHA1MatchesRFC2202Vectors() {
        #expect(
            hex(HMACSHA1.mac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b617318655057264e28bc0b6fb378c8ef146be00")
        #expect(
            hex(HMACSHA1.mac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        #expect(
            hex(HMACSHA1.mac(
                key: [UInt8](repeating: 0xaa, count: 80),
                message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    /// A fresh ed25519 key from ssh-keygen: the `.pub` line's type and base64 fields, and the decoded blob.
    private func makeKey(_ fixture: GitFixture, _ name: String) throws -> (line: String, blob: [UInt8]) {
        let path = fixture.folder(name)
        let result = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", path])
        guard result.status == 0 else { throw FixtureError("ssh-keygen failed: \(result.stderr)") }
        let fields = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ")
        let blob = try #require(Data(base64Encoded: String(fields[1])))
        return ("\(fields[0]) \(fields[1])", [UInt8](blob))
    }

    @Test func matchesPlainPortAndPatternEntries() throws {
        let fixture = try GitFixture()
        let (key, blob) = try makeKey(fixture, "host")
        let (otherKey, otherBlob) = try makeKey(fixture, "other")
        let hosts = KnownHosts(contents: """
            # comment line
            git.example.com,10.0.0.5 \(key)
            [git.example.com]:2222 \(otherKey) a comment
            *.corp.example,!bad.corp.example \(key)
            @cert-authority *.example.com \(otherKey)
            @revoked revoked.example.com \(key)
            revoked.example.com \(key)
            """)
        #expect(hosts.check(host: "git.example.com", port: nil, key: blob) == .trusted)
        #expect(hosts.check(host: "GIT.example.com", port: 22, key: blob) == .trusted)
        #expect(hosts.check(host: "10.0.0.5", port: nil, key: blob) == .trusted)
        #expect(hosts.check(host: "git.example.com", port: nil, key: otherBlob) == .mismatch)
        #expect(hosts.check(host: "git.example.com", port: 2222, key: otherBlob) == .trusted)
        #expect(hosts.check(host: "git.example.com", port: 2222, key: blob) == .mismatch)
        #expect(hosts.check(host: "a.corp.example", port: nil, key: blob) == .trusted)
        #expect(hosts.check(host: "bad.corp.example", port: nil, key: blob) == .unknownHost)
        #expect(hosts.check(host: "elsewhere.example.com", port: nil, key: blob) == .unknownHost)
        #expect(hosts.check(host: "revoked.example.com", port: nil, key: blob) == .revoked)
    }

    @Test func matchesEntriesHashedByOpenSSH() throws {
        let fixture = try GitFixture()
        let (key, blob) = try makeKey(fixture, "host")
        let (_, otherBlob) = try makeKey(fixture, "other")
        let path = fixture.folder("known_hosts")
        try Data("git.example.com \(key)\n[127.0.0.1]:2222 \(key)\n".utf8).write(to: URL(fileURLWithPath: path))
        let hashed = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-H", "-f", path])
        #expect(hashed.status == 0)
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents.hasPrefix("|1|"))
        #expect(!contents.contains("git.example.com"))

        let hosts = try KnownHosts(path: path)
        #expect(hosts.check(host: "git.example.com", port: nil, key: blob) == .trusted)
        #expect(hosts.check(host: "127.0.0.1", port: 2222, key: blob) == .trusted)
        #expect(hosts.check(host: "127.0.0.1", port: nil, key: blob) == .unknownHost)
        #expect(hosts.check(host: "git.example.com", port: nil, key: otherBlob) == .mismatch)
    }

    @Test func aMissingKnownHostsFileSaysHowToMakeOne() {
        let error = #expect(throws: GitSourceError.self) { try KnownHosts(path: "/nonexistent/known_hosts") }
        #expect(error?.kind == .invalidOptions)
        #expect(error?.message.contains("ssh-keyscan") == true)
    }

    private struct Parts: Equatable {
        let isSSH: Bool
        let host: String?
        let port: Int?
    }

    private func parts(_ url: String) -> Parts {
        let parsed = GitRemoteURL(url)
        return Parts(isSSH: parsed.isSSH, host: parsed.host, port: parsed.port)
    }

    @Test func parsesRemoteURLs() {
        #expect(parts("git@github.com:acme/config.git") == Parts(isSSH: true, host: "github.com", port: nil))
        #expect(parts("ssh://git@10.0.0.5:2222/config") == Parts(isSSH: true, host: "10.0.0.5", port: 2222))
        #expect(parts("ssh://[::1]:2200/x") == Parts(isSSH: true, host: "::1", port: 2200))
        #expect(parts("https://tok@github.com/acme/c.git") == Parts(isSSH: false, host: "github.com", port: nil))
        #expect(GitRemoteURL("/srv/git/config").isSSH == false)
        #expect(GitRemoteURL("./config:odd").isSSH == false)
        #expect(GitRemoteURL("file:///srv/git/config").isSSH == false)
    }

    @Test func redactsUserinfoInURLsAndText() {
        #expect(URLRedaction.redactUserinfo("https://user:tok@host/x") == "https://***@host/x")
        #expect(URLRedaction.redactUserinfo("https://tok@host") == "https://***@host")
        #expect(URLRedaction.redactUserinfo("https://host/a@b") == "https://host/a@b")
        #expect(URLRedaction.redactUserinfo("git@github.com:acme/c.git") == "git@github.com:acme/c.git")
        #expect(
            URLRedaction.redactUserinfo("failed: http://a:p@h1/x then ssh://u:p2@h2:22/y.")
                == "failed: http://***@h1/x then ssh://***@h2:22/y.")
        #expect(GitSourceError(.unreachable, "cannot reach https://u:secret@h/r").description.contains("secret") == false)
    }

    @Test func sshRemotesNeedAKeyAndKnownHosts() throws {
        let fixture = try GitFixture()
        let error = #expect(throws: GitSourceError.self) {
            try GitSource(options: GitSourceOptions(url: "git@github.com:acme/c.git", cacheDir: fixture.folder("c")))
        }
        #expect(error?.kind == .invalidOptions)
        #expect(GitLibrary.hasSSH)  // Debian's libgit2 1.5.1 is built with libssh2

        let source = try GitSource(options: GitSourceOptions(
            url: "ssh://git@127.0.0.1:1/x", cacheDir: fixture.folder("c"),
            credentials: .sshKey(privateKeyPath: "/nonexistent/id", publicKeyPath: nil, passphrase: nil,
                                 knownHostsPath: fixture.folder("no_known_hosts"))))
        let missing = #expect(throws: GitSourceError.self) { try source.fetch() }
        #expect(missing?.kind == .invalidOptions)
    }
}
