import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The controller daemon's one HTTP listener (`--listen`): health, readiness, metrics, status page and API, report
/// files, the push webhook and the manual reconcile trigger. See `ControllerRoutes` for the endpoints.
///
/// It is a ServiceLifecycle `Service`: run it in the daemon's `ServiceGroup` next to the controller loop, and a
/// graceful shutdown stops accepting connections and lets requests in flight finish. Or start it in the background
/// and learn its port (tests):
///
/// ```swift
/// let server = ControllerServer(options: ControllerServerOptions(host: "127.0.0.1", port: 0),
///                               control: controller, metrics: metrics)
/// let running = try await server.start()
/// // GET http://127.0.0.1:\(running.port)/status …
/// await running.stop()
/// ```
///
/// Secrets (webhook secret, reconcile token) are never logged or echoed; rejections name the header that failed.
public struct ControllerServer: Service, Sendable {
    public let options: ControllerServerOptions
    private let control: any ControllerControl
    private let metrics: MetricsRegistry
    private let logger: Logger

    public init(
        options: ControllerServerOptions, control: any ControllerControl, metrics: MetricsRegistry,
        logger: Logger = Logger(label: "litellm-synapse.http")
    ) {
        self.options = options
        self.control = control
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until cancelled or gracefully shut down; throws if the address cannot be bound.
    public func run() async throws {
        try await serve(onListening: { _ in })
    }

    /// Starts serving in a task of its own and returns once the port is bound.
    public func start() async throws -> RunningControllerServer {
        let (listeners, listenerSink) = AsyncStream<any Channel>.makeStream()
        let task = Task {
            defer { listenerSink.finish() }
            try await serve(onListening: { listenerSink.yield($0) })
        }
        let listener = await withTaskCancellationHandler {
            var iterator = listeners.makeAsyncIterator()
            return await iterator.next()
        } onCancel: {
            task.cancel()
        }
        if let listener {
            return RunningControllerServer(listener: listener, host: options.host, task: task)
        }
        // Stopped before listening: rethrow the bind error if there is one.
        try await task.value
        throw ControllerServerError.couldNotListen(host: options.host, port: options.port)
    }

    private func serve(onListening: @escaping @Sendable (any Channel) -> Void) async throws {
        let routes = ControllerRoutes(options: options, control: control, metrics: metrics, logger: logger)
        let responder = CallbackResponder { (request: Request, _: BasicRequestContext) in
            await routes.respond(to: request)
        }
        let app = Application(
            responder: responder,
            // Idle keep-alive connections (say a scraper that went away) are closed after 5 minutes.
            server: .http1(configuration: .init(idleTimeout: .seconds(300))),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "litellm-synapse"),
            onServerRunning: { channel in onListening(channel) },
            logger: logger
        )
        try await app.run()
    }
}

/// Why `ControllerServer.start()` failed.
public enum ControllerServerError: Error, CustomStringConvertible, Sendable {
    case couldNotListen(host: String, port: Int)

    public var description: String {
        switch self {
        case .couldNotListen(let host, let port):
            return "the HTTP server could not listen on \(host):\(port); check --listen (port 0 picks a free one)"
        }
    }
}
