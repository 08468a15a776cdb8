import NIOCore

/// A `ControllerServer` serving in the background, from `ControllerServer.start()`. Call `stop()` when done.
///
/// ```swift
/// let running = try await server.start()
/// print(running.baseURL)      // http://127.0.0.1:40123
/// await running.stop()
/// ```
public struct RunningControllerServer: Sendable {
    /// The bound port (useful when the options asked for port 0).
    public let port: Int
    public let host: String
    private let listener: any Channel
    private let task: Task<Void, any Error>

    init(listener: any Channel, host: String, task: Task<Void, any Error>) {
        self.listener = listener
        self.port = listener.localAddress?.port ?? 0
        self.host = host
        self.task = task
    }

    /// `http://HOST:PORT` without a trailing slash; a wildcard host is shown as the loopback address.
    public var baseURL: String {
        let shown = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
    }

    /// Stops serving (requests in flight are cancelled) and waits until the port is released.
    public func stop() async {
        // Closing the listening socket first ends the accept loop normally; cancelling then ends open connections.
        try? await listener.close()
        task.cancel()
        _ = await task.result
    }
}
