import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A scripted HTTP/1.1 server on 127.0.0.1 for transport and gateway-client tests.
///
/// Raw sockets rather than a framework, so a test can count accepted connections, measure how many requests are in
/// flight at once, delay a response, or drop the connection after reading a request. Keep-alive is on: a connection
/// serves requests until the client closes it or a handler drops it.
///
/// ```swift
/// let server = try TestHTTPServer { request in .respond(status: 200, json: "{}") }
/// defer { server.stop() }
/// _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/x"))
/// #expect(server.acceptedConnections == 1)
/// ```
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        let method: String
        /// Path with query, as sent.
        let target: String
        /// Lower-cased names.
        let headers: [String: String]
        let body: [UInt8]
        /// 1-based number of the connection it arrived on.
        let connection: Int
        let receivedAt: ContinuousClock.Instant

        var path: String { String(target.prefix { $0 != "?" }) }
        var query: [String: String] {
            guard let mark = target.firstIndex(of: "?") else { return [:] }
            var result: [String: String] = [:]
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return result
        }
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    enum Action: Sendable {
        /// Answer after `delay` seconds.
        case respond(status: Int, headers: [String: String], body: [UInt8], delay: Double)
        /// Close the connection without answering (after `delay` seconds).
        case drop(delay: Double)

        static func respond(status: Int, json: String, headers: [String: String] = [:], delay: Double = 0) -> Action {
            .respond(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a },
                body: Array(json.utf8), delay: delay)
        }
    }

    typealias Handler = @Sendable (Request) -> Action

    private struct State {
        var accepted = 0
        var inFlight = 0
        var maxInFlight = 0
        var requests: [Request] = []
        var openSockets: Set<Int32> = []
        var stopped = false
        var runningThreads = 0
    }

    let port: Int
    private let listener: Int32
    private let handler: Handler
    private let state = Mutex(State())

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var acceptedConnections: Int { state.withLock { $0.accepted } }
    /// The most requests that were being handled at the same moment.
    var maxConcurrentRequests: Int { state.withLock { $0.maxInFlight } }
    var requests: [Request] { state.withLock { $0.requests } }

    init(handler: @escaping Handler) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestServerError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw TestServerError("bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        startThread { [self] in acceptLoop() }
    }

    /// Closes the listening socket and every connection, and waits (at most 5 s) for the server threads to end.
    /// Only the first call does anything: tests stop the server and `deinit` stops it again, and closing the
    /// listener's descriptor twice could close whatever socket another test opened under that number since (a
    /// NIO server then crashed on EBADF).
    func stop() {
        // Connections are shut down under the lock their threads close them under: a descriptor is never shut
        // down after its number was closed and reused.
        let wasStopped = state.withLock { state -> Bool in
            defer { state.stopped = true }
            if !state.stopped { for fd in state.openSockets { shutdown(fd, Int32(SHUT_RDWR)) } }
            return state.stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        let deadline = ContinuousClock.now + .seconds(5)
        while state.withLock({ $0.runningThreads > 0 }), ContinuousClock.now < deadline { usleep(5_000) }
        close(listener)
    }

    deinit { stop() }

    // MARK: - Server threads

    private func startThread(_ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.runningThreads += 1 }
        Thread { [self] in
            body()
            state.withLock { $0.runningThreads -= 1 }
        }.start()
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let (number, stopped) = state.withLock { state -> (Int, Bool) in
                state.accepted += 1
                if !state.stopped { state.openSockets.insert(fd) }
                return (state.accepted, state.stopped)
            }
            if stopped {
                close(fd)
                return
            }
            startThread { [self] in serve(fd, connection: number) }
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            state.withLock { state in
                state.openSockets.remove(fd)
                close(fd)
            }
        }
        var buffer: [UInt8] = []
        while let request = readRequest(fd, buffer: &buffer, connection: connection) {
            state.withLock { state in
                state.requests.append(request)
                state.inFlight += 1
                state.maxInFlight = max(state.maxInFlight, state.inFlight)
            }
            let action = handler(request)
            let keepOpen: Bool
            switch action {
            case .respond(let status, let headers, let body, let delay):
                keepOpen = pause(delay) && write(fd, response(status: status, headers: headers, body: body))
            case .drop(let delay):
                _ = pause(delay)
                keepOpen = false
            }
            state.withLock { $0.inFlight -= 1 }
            if !keepOpen { return }
        }
    }

    /// Sleeps `seconds` in small steps so that `stop()` need not wait out a scripted delay; false once stopped.
    private func pause(_ seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.stopped }) { return false }
            usleep(5_000)
        }
        return !state.withLock { $0.stopped }
    }

    private func readRequest(_ fd: Int32, buffer: inout [UInt8], connection: Int) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while true {
            if headerEnd == nil, let end = buffer.firstRange(of: separator)?.upperBound { headerEnd = end }
            if let end = headerEnd {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                var lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
                let requestLine = lines.removeFirst().split(separator: " ")
                guard requestLine.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                        .trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if buffer.count >= end + length {
                    let body = Array(buffer[end..<end + length])
                    buffer.removeFirst(end + length)
                    return Request(
                        method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body,
                        connection: connection, receivedAt: .now)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private func response(status: Int, headers: [String: String], body: [UInt8]) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(status < 400 ? "OK" : "Error")\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
