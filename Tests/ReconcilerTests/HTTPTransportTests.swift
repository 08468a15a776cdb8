import Foundation
import Synchronization
import Testing

@testable import Reconciler

#if canImport(Glibc)
    import Glibc
#endif

@Suite("HTTP transport (libcurl multi) against a local server")
struct HTTPTransportTests {
    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try TestHTTPServer { request in .respond(status: 200, json: #"{"path":"\#(request.path)"}"#) }
        defer { server.stop() }
        let transport = HTTPTransport(options: HTTPTransportOptions(maxConcurrentRequests: 4))

        for n in 1...5 {
            let response = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/item/\(n)"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"path":"/item/\#(n)"}"#)
            #expect(response.headers["content-type"] == "application/json")
        }
        #expect(server.acceptedConnections == 1)
        #expect(server.requests.allSatisfy { $0.headers["user-agent"]?.hasPrefix("litellm-synapse/") == true })
    }

    @Test func concurrencyIsBoundedAndTheRestQueue() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, json: "{}", delay: 0.15) }
        defer { server.stop() }
        let transport = HTTPTransport(options: HTTPTransportOptions(maxConcurrentRequests: 2))

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<6 {
                group.addTask { try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/\(n)")).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 6))
        #expect(server.requests.count == 6)
        #expect(server.maxConcurrentRequests == 2)
        #expect(server.acceptedConnections == 2)
    }

    @Test func bodyMethodAndHeadersArrive() async throws {
        let server = try TestHTTPServer { request in
            .respond(status: 201, json: request.bodyText, headers: ["X-Echo-Method": request.method, "X-Multi": "a"])
        }
        defer { server.stop() }
        let transport = HTTPTransport()
        let body = Array(String(repeating: "x", count: 5000).utf8)  // large enough that libcurl would send "Expect"

        let response = try await transport.send(
            HTTPRequest(method: "PUT", url: server.baseURL + "/things/1?dry=1", headers: ["Authorization": "Bearer k"], body: body))
        #expect(response.status == 201)
        #expect(response.body == body)
        #expect(response.headers["x-echo-method"] == "PUT")
        let seen = try #require(server.requests.first)
        #expect(seen.target == "/things/1?dry=1")
        #expect(seen.headers["authorization"] == "Bearer k")
        #expect(seen.headers["expect"] == nil)
    }

    @Test func refusedConnectionFailsBeforeSending() async throws {
        let port = try unusedPort()
        let transport = HTTPTransport()
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/teams", body: [1]))
        }
        guard case .connectionFailed = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.requestMayHaveBeenProcessed == false)
        #expect(error?.isTransient == true)
        #expect("\(error!)".contains("POST /api/v1/teams"))
    }

    @Test func droppedConnectionAfterSendingMayHaveBeenProcessed() async throws {
        let server = try TestHTTPServer { request in request.method == "GET" ? .respond(status: 200, json: "{}") : .drop(delay: 0) }
        defer { server.stop() }
        let transport = HTTPTransport()
        // A kept-alive connection first: libcurl resends a request on a reused connection that died without answer.
        _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/health"))
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(
                HTTPRequest(method: "POST", url: server.baseURL + "/api/v1/teams", headers: ["Authorization": "Bearer sk-secret-123"],
                    body: Array(#"{"name":"x"}"#.utf8)))
        }
        guard case .noResponse = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.requestMayHaveBeenProcessed == true)
        #expect(server.requests.filter { $0.method == "POST" }.count == 1, "libcurl must not resend a POST on its own")
        let text = "\(error!)"
        #expect(text.contains("POST /api/v1/teams"))
        #expect(!text.contains("sk-secret-123"))
        #expect(!text.contains("\"name\""))
    }

    @Test func slowResponseTimesOutAfterSending() async throws {
        // The response would take 30 s; a timeout well before that proves the 0.3 s limit ended the wait
        // (the bound is loose on purpose: a loaded 2-core CI machine delays everything).
        let server = try TestHTTPServer { _ in .respond(status: 200, json: "{}", delay: 30) }
        defer { server.stop() }
        let transport = HTTPTransport(options: HTTPTransportOptions(timeoutSeconds: 0.3))
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/slow"))
        }
        guard case .timedOut(_, let path, _, let sent) = try #require(error) else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(path == "/slow")
        #expect(sent)
        #expect(started.duration(to: .now) < .seconds(15))
    }

    @Test func cancellingTheTaskEndsTheRequest() async throws {
        // The response would take 30 s: ending well before that proves cancellation ended the wait (the bound is
        // loose on purpose; a loaded 2-core CI machine delays everything).
        let server = try TestHTTPServer { _ in .respond(status: 200, json: "{}", delay: 30) }
        defer { server.stop() }
        let transport = HTTPTransport()
        let task = Task { try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/hang")) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(started.duration(to: .now) < .seconds(15))
        guard case .failure(let error) = result, case .cancelled = error as? HTTPTransportError else {
            Issue.record("expected a cancellation, got \(result)")
            return
        }
    }

    @Test func displayPathDropsSchemeHostAndUserInfo() {
        #expect(HTTPRequest(method: "GET", url: "https://u:p@gw.example:8443/api/v1/teams?page=2").pathForDisplay
            == "/api/v1/teams?page=2")
        #expect(HTTPRequest(method: "GET", url: "http://gw.example").pathForDisplay == "/")
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound and released at once).
func unusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard ok else { throw TestServerError("could not bind a probe socket") }
    return Int(UInt16(bigEndian: address.sin_port))
}
