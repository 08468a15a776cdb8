import Foundation
import Testing

@testable import Reconciler

#if canImport(Glibc)
    import Glibc
#endif

@Suite("HTTP transport TLS verification against a self-signed openssl server")
struct HTTPTransportTLSTests {
    static let openssl = "/usr/bin/openssl"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: openssl), "needs the openssl CLI"))
    func untrustedCertificateFailsUnlessItsCAFileIsGiven() async throws {
        let server = try SelfSignedTLSServer()
        defer { server.stop() }
        let request = HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/api/v1/teams")

        let error = await #expect(throws: HTTPTransportError.self) { _ = try await HTTPTransport().send(request) }
        guard case .tlsFailure = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.requestMayHaveBeenProcessed == false)
        #expect("\(error!)".contains("GET /api/v1/teams"))

        let trusting = HTTPTransport(options: HTTPTransportOptions(caFile: server.certificateFile))
        #expect(try await trusting.send(request).status == 200)
    }
}

/// `openssl s_server -www` with a fresh self-signed certificate for 127.0.0.1, killed with SIGKILL by `stop()`.
private final class SelfSignedTLSServer {
    let directory: URL
    let certificateFile: String
    let port: Int
    private let process: Process

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificateFile = directory.appendingPathComponent("cert.pem").path
        let keyFile = directory.appendingPathComponent("key.pem").path
        let generate = try Self.run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certificateFile, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try Self.wait(generate, seconds: 20)

        let output = directory.appendingPathComponent("server.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process = try Self.run(
            ["s_server", "-accept", "127.0.0.1:0", "-cert", certificateFile, "-key", keyFile, "-www"],
            stdout: try FileHandle(forWritingTo: output))
        // s_server prints "ACCEPT 127.0.0.1:<port>" once it listens.
        let deadline = ContinuousClock.now + .seconds(10)
        var found: Int?
        while found == nil, ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            found = text.split(separator: "\n").first { $0.hasPrefix("ACCEPT ") }.flatMap { Int($0.split(separator: ":").last ?? "") }
            if found == nil { usleep(20_000) }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            try? FileManager.default.removeItem(at: directory)
            throw TestServerError("openssl s_server did not report its port within 10 s")
        }
        port = found
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ arguments: [String], stdout: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HTTPTransportTLSTests.openssl)
        process.arguments = arguments
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func wait(_ process: Process, seconds: Double) throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw TestServerError("openssl did not finish within \(seconds) s")
        }
        guard process.terminationStatus == 0 else { throw TestServerError("openssl failed (\(process.terminationStatus))") }
    }
}
