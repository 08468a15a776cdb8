import CCurl
import FoundationEssentials
import Glibc
import Synchronization

/// An HTTP/1.1 client on libcurl's multi interface: many requests at once over kept-alive connections.
///
/// One dedicated thread drives all transfers; `send` suspends the calling task until the response is complete.
/// At most `maxConcurrentRequests` run at once, the rest wait in order. Connections are reused across requests
/// (the connection cache lives in the multi handle), except that a POST always opens a fresh one: libcurl silently
/// repeats a request whose reused connection died before any response byte, which for a POST could create twice.
///
/// ```swift
/// let transport = HTTPTransport(options: HTTPTransportOptions(maxConcurrentRequests: 8))
/// let response = try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:8080/health"))
/// ```
public final class HTTPTransport: Sendable {
    private let loop: CurlMultiLoop

    public init(options: HTTPTransportOptions = HTTPTransportOptions()) {
        loop = CurlMultiLoop(options: options)
        loop.start()
    }

    deinit { loop.shutdown() }

    /// Sends one request and returns its response, whatever the status. Throws only when no response arrived.
    public func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        let cancelled = HTTPTransportError.cancelled(method: request.method, path: request.pathForDisplay, requestSent: false)
        if Task.isCancelled { throw cancelled }
        let id = loop.nextID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                loop.submit(CurlJob(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(id)
        }
        return try result.get()
    }
}

/// A request waiting for, or running on, the transfer thread.
struct CurlJob: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let continuation: CheckedContinuation<Result<HTTPResponse, HTTPTransportError>, Never>

    func fail(_ error: HTTPTransportError) { continuation.resume(returning: .failure(error)) }

    var cancelledError: HTTPTransportError {
        .cancelled(method: request.method, path: request.pathForDisplay, requestSent: false)
    }
}
