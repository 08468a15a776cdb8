import Foundation
import SynapseContract
import Testing

@testable import Reconciler

/// The git source over loopback servers started by the tests (git daemon, git http-backend), and remotes that
/// cannot be reached. Every server is stopped with SIGKILL; every wait is bounded.
@Suite(.timeLimit(.minutes(2))) struct GitSourceNetworkTests {
    let fixture: GitFixture
    let base: String
    let origin: String
    let first: String

    init() throws {
        fixture = try GitFixture()
        base = fixture.folder("served")
        origin = try fixture.makeRepository("served/origin")
        first = try fixture.commit(in: origin, files: ["config.yaml": "model_list: []\n"], message: "First")
    }

    private func options(_ url: String, credentials: GitCredentials = .none, timeout: Double = 20) -> GitSourceOptions {
        GitSourceOptions(url: url, ref: "main", cacheDir: fixture.folder("cache"), credentials: credentials, fetchTimeoutSeconds: timeout)
    }

    @Test func fetchesFromAGitDaemon() throws {
        let daemon = try FixtureServer.gitDaemon(basePath: base)
        defer { daemon.stop() }
        let source = try GitSource(options: options("git://127.0.0.1:\(daemon.port)/origin"))
        let revision = try source.fetch()
        #expect(revision.commit == first)
        #expect(String(decoding: try source.fileSource(at: first).readFile("config.yaml"), as: UTF8.self) == "model_list: []\n")

        let second = try fixture.commit(in: origin, files: ["config.yaml": "model_list: [x]\n"], message: "Second")
        #expect(try source.fetch().commit == second)
    }

    @Test func aFetchPastItsDeadlineIsCancelled() throws {
        let daemon = try FixtureServer.gitDaemon(basePath: base)
        defer { daemon.stop() }
        let source = try GitSource(options: options("git://127.0.0.1:\(daemon.port)/origin", timeout: 0.000_001))
        let error = #expect(throws: GitSourceError.self) { try source.fetch() }
        #expect(error?.kind == .timedOut)
    }

    @Test func aMissingPathIsUnreachable() throws {
        let source = try GitSource(options: options(fixture.folder("does-not-exist")))
        let error = #expect(throws: GitSourceError.self) { try source.fetch() }
        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains("does-not-exist") == true)
    }

    @Test func aClosedPortFailsFastWithRedactedCredentials() throws {
        let port = try GitFixtureNetwork.freePort()
        let started = Date()
        for url in ["git://127.0.0.1:\(port)/origin", "http://bot:tok3n-value@127.0.0.1:\(port)/origin"] {
            let source = try GitSource(options: options(url))
            let error = #expect(throws: GitSourceError.self) { try source.fetch() }
            #expect(error?.kind == .unreachable)
            #expect(error?.description.contains("tok3n-value") == false)
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func sendsTheTokenOverHTTPBasicAuth() throws {
        let log = fixture.folder("requests.log")
        let server = try GitHTTPServer(projectRoot: base, user: "x-access-token", password: "good-token", log: log)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/origin"
        let source = try GitSource(options: options(url, credentials: .httpsToken(Secret("good-token"))))
        #expect(try source.fetch().commit == first)
        let requests = try String(contentsOfFile: log, encoding: .utf8)
        #expect(requests.contains("auth=ok"))
        #expect(requests.contains("git-upload-pack"))
    }

    @Test func aTokenInTheURLIsUsedButNotWrittenToTheCache() throws {
        let log = fixture.folder("requests.log")
        let server = try GitHTTPServer(projectRoot: base, user: "bot", password: "url-token", log: log)
        defer { server.stop() }
        let source = try GitSource(options: options("http://bot:url-token@127.0.0.1:\(server.port)/origin"))
        #expect(try source.fetch().commit == first)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("auth=ok"))
        let config = try String(contentsOfFile: fixture.folder("cache/repo.git/config"), encoding: .utf8)
        #expect(!config.contains("url-token"))
        #expect(config.contains("http://***@127.0.0.1:\(server.port)/origin"))

        // A restart with the same URL reuses the cache instead of cloning again.
        let marker = fixture.folder("cache/repo.git/marker")
        try Data().write(to: URL(fileURLWithPath: marker))
        #expect(try GitSource(options: options("http://bot:url-token@127.0.0.1:\(server.port)/origin")).fetch().commit == first)
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test func wrongOrMissingCredentialsFailFast() throws {
        let log = fixture.folder("requests.log")
        let server = try GitHTTPServer(projectRoot: base, user: "bot", password: "good-password", log: log)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/origin"
        let started = Date()

        let wrong = try GitSource(options: options(url, credentials: .userPassword("bot", Secret("wrong-password"))))
        let error = #expect(throws: GitSourceError.self) { try wrong.fetch() }
        #expect(error?.kind == .authFailed)
        #expect(error?.description.contains("wrong-password") == false)
        let attempts = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.hasSuffix("auth=bad") }
        #expect(attempts.count == 1)  // one try with the configured password, then give up

        let none = try GitSource(options: options(url))
        let missing = #expect(throws: GitSourceError.self) { try none.fetch() }
        #expect(missing?.kind == .authFailed)
        #expect(missing?.message.contains("not configured") == true)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
