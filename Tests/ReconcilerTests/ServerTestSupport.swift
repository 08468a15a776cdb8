import Foundation
import Logging
import Reconciler
import Synchronization
import SynapseContract

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in for the controller loop: a status the test sets, and a record of reconcile requests.
final class FakeController: ControllerControl {
    private let state: Mutex<(status: ControllerStatus, requests: [TriggerReason])>

    init(_ status: ControllerStatus = FakeController.sampleStatus()) {
        state = Mutex((status, []))
    }

    func status() async -> ControllerStatus { state.withLock { $0.status } }
    func requestReconcile(_ reason: TriggerReason) async { state.withLock { $0.requests.append(reason) } }

    var requests: [TriggerReason] { state.withLock { $0.requests } }
    func update(_ change: (inout ControllerStatus) -> Void) { state.withLock { change(&$0.status) } }

    /// Waits until at least `count` requests arrived (the server requests asynchronously) or `seconds` pass,
    /// then a little longer so that an unexpected extra request would show.
    func requests(atLeast count: Int, within seconds: Double = 5) async -> [TriggerReason] {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while requests.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await Task.sleep(for: .milliseconds(100))
        return requests
    }

    static func sampleStatus() -> ControllerStatus {
        var status = ControllerStatus(mode: "sync", repository: "https://git.example/gw-config.git", ref: "main", configPath: "litellm/config.yaml")
        status.syncState = .drifted
        status.ready = true
        status.lastGoodRevision = "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a"
        status.lastFetchedRevision = "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a"
        status.driftByKind = ["route": 2, "provider": 1]
        status.lastSuccessAt = Date(timeIntervalSince1970: 1_746_100_800)  // 2025-05-01T12:00:00Z
        var first = ReconcileSummary(
            startedAt: Date(timeIntervalSince1970: 1_746_100_800), trigger: .webhook, mode: "sync",
            revision: "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a", status: "success", seconds: 1.25)
        first.created = 3
        first.updated = 1
        first.driftObjects = 3
        first.reportBase = "reconcile-20250501T120000Z-3f2a9c1e"
        var second = ReconcileSummary(
            startedAt: Date(timeIntervalSince1970: 1_746_100_500), trigger: .startup, mode: "sync",
            revision: "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c", status: "invalid-config", seconds: 0.2)
        second.error = "config.yaml:12:3: model_list[2].litellm_params.model is required"
        status.recent = [first, second]
        return status
    }
}

/// A started server with its fake controller and metrics; `stop()` when done.
struct ServerHarness {
    let controller: FakeController
    let metrics: MetricsRegistry
    let running: RunningControllerServer
    let transport = HTTPTransport()

    static func start(
        status: ControllerStatus = FakeController.sampleStatus(), configure: (inout ControllerServerOptions) -> Void = { _ in }
    ) async throws -> ServerHarness {
        var options = ControllerServerOptions(host: "127.0.0.1", port: 0)
        configure(&options)
        let controller = FakeController(status)
        let metrics = MetricsRegistry()
        ControllerMetrics.describeAll(in: metrics)
        var logger = Logger(label: "controller-server-test")
        logger.logLevel = .warning
        let running = try await ControllerServer(options: options, control: controller, metrics: metrics, logger: logger).start()
        return ServerHarness(controller: controller, metrics: metrics, running: running)
    }

    var baseURL: String { running.baseURL }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: "GET", url: baseURL + path, headers: headers))
    }

    func post(_ path: String, headers: [String: String] = [:], body: [UInt8] = []) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: "POST", url: baseURL + path, headers: headers, body: body))
    }

    func stop() async { await running.stop() }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONValue.parse(body) }
}

/// Sends raw bytes on one TCP connection and reads `responses` HTTP/1.1 responses (Content-Length framed):
/// for request targets a client library would normalise (`/reports/../x`) and for keep-alive checks.
func rawHTTPExchange(port: Int, requests: [String], timeout: Double = 10) async throws -> [RawHTTPResponse] {
    try await onDedicatedThread {
        let connection = try RawHTTPConnection(port: port, timeout: timeout)
        return try requests.map { try connection.exchange($0) }
    }
}

/// Whether the server's end of a kept-alive connection has TCP_NODELAY set (nil: that socket was not found).
/// The server runs in this process, so its accepted socket is one of our descriptors: the one whose peer is our
/// client socket.
func serverSideNoDelay(port: Int) async throws -> Bool? {
    try await onDedicatedThread {
        let connection = try RawHTTPConnection(port: port, timeout: 10)
        _ = try connection.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let clientPort = try connection.localPort()
        for fd in Int32(0)..<Int32(4096) where fd != connection.fd {
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let found = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
            }
            guard found == 0, peer.sin_family == sa_family_t(AF_INET), Int(UInt16(bigEndian: peer.sin_port)) == clientPort else { continue }
            var flag: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &flag, &size) == 0 else { return nil }
            return flag != 0
        }
        return nil
    }
}

struct RawHTTPResponse: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// A blocking HTTP/1.1 client connection on 127.0.0.1 (use on a dedicated thread).
final class RawHTTPConnection {
    let fd: Int32
    private var buffered = [UInt8]()

    init(port: Int, timeout: Double) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError("socket: errno \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close(fd) here: every stored property is set, so `deinit` runs when this throws and closes it (a
        // second close could close a descriptor another test opened under the same number since).
        guard connected == 0 else { throw RawHTTPError("connect: errno \(errno)") }
    }

    deinit { close(fd) }

    func localPort() throws -> Int {
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard ok == 0 else { throw RawHTTPError("getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: local.sin_port))
    }

    /// Sends one request and reads its response (head plus a Content-Length body).
    func exchange(_ request: String) throws -> RawHTTPResponse {
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw RawHTTPError("send: errno \(errno)") }
            sent += n
        }
        while true {
            if let parsed = parseResponse(&buffered) {
                return RawHTTPResponse(status: parsed.0, headers: parsed.1, body: parsed.2)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { throw RawHTTPError("connection closed or timed out before a full response (errno \(errno))") }
            buffered += chunk[0..<n]
        }
    }
}

private func parseResponse(_ buffer: inout [UInt8]) -> (Int, [String: String], String)? {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let headEnd = (0..<max(0, buffer.count - 3)).first(where: { Array(buffer[$0..<$0 + 4]) == separator }) else { return nil }
    let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
    let lines = head.components(separatedBy: "\r\n")
    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    guard buffer.count >= headEnd + 4 + length else { return nil }
    let body = String(decoding: buffer[(headEnd + 4)..<(headEnd + 4 + length)], as: UTF8.self)
    buffer.removeFirst(headEnd + 4 + length)
    return (status, headers, body)
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `sha256=<hex>` of the body under the secret, as GitHub and the generic scheme send it.
func signature(_ body: [UInt8], secret: String) -> String {
    "sha256=" + SHA256.hexString(SHA256.hmac(key: Array(secret.utf8), message: body))
}
