import Hummingbird
import Logging
import NIOCore
import SynapseContract

/// An in-memory Synapse gateway that speaks the management API of `synapse-gateway.openapi.yaml` over HTTP,
/// validates request bodies against the contract, and injects faults on demand.
///
/// Run it until cancelled (the CLI's `gateway-sim`), or start it in-process and learn its port (tests, benchmarks):
///
/// ```swift
/// let sim = try await SynapseSimulator.start(options: SimulatorOptions(apiKey: Secret("k")))
/// // GET \(sim.baseURL)/api/v1/teams with "Authorization: Bearer k" …
/// await sim.stop()
/// ```
///
/// Besides the contract's endpoints it serves, with the same bearer key: `GET /_sim/stats`, `GET /_sim/state`
/// (write-only values REDACTED), `POST /_sim/reset`, `GET|POST /_sim/faults` (see `FaultOptions`).
public final class SynapseSimulator: Sendable {
    public let options: SimulatorOptions
    let gateway: SimulatedGateway

    public init(options: SimulatorOptions) {
        self.options = options
        gateway = SimulatedGateway(options: options)
    }

    /// Serves until the task is cancelled, then stops cleanly and returns; throws if the address cannot be bound.
    public func run() async throws {
        do {
            let running = try await startServing()
            try await withTaskCancellationHandler {
                try await running.waitUntilStopped()
            } onCancel: {
                Task { await running.stop() }
            }
        } catch {
            if Task.isCancelled { return }
            throw error
        }
    }

    /// Starts a simulator in a task of its own and returns once it listens.
    public static func start(options: SimulatorOptions) async throws -> RunningSimulator {
        try await SynapseSimulator(options: options).startServing()
    }

    private func startServing() async throws -> RunningSimulator {
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
            return RunningSimulator(simulator: self, listener: listener, host: options.host, task: task)
        }
        // The server stopped before listening (or the caller gave up): surface why.
        try await task.value
        throw SimulatorStartError(host: options.host, port: options.port)
    }

    private func serve(onListening: @escaping @Sendable (any Channel) -> Void) async throws {
        var logger = Logger(label: "synapse-simulator")
        logger.logLevel = options.logLevel
        let gateway = self.gateway
        let responder = CallbackResponder { (request: Request, context: SimulatorRequestContext) in
            try await SynapseSimulator.respond(to: request, channel: context.channel, gateway: gateway)
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port)),
            onServerRunning: { channel in onListening(channel) },
            logger: logger
        )
        try await app.run()
    }

    /// Largest request body accepted (the contract's objects are small).
    static let maxBodyBytes = 4 << 20

    private static func respond(to request: Request, channel: any Channel, gateway: SimulatedGateway) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: maxBodyBytes)
        let simulated = SimulatorRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: parseQuery(request.uri.query),
            authorization: request.headers[.authorization],
            body: Array(body.readableBytesView)
        )
        let outcome = await gateway.handle(simulated)
        if outcome.delay > .zero {
            try await Task.sleep(for: outcome.delay)
        }
        guard let response = outcome.response else {
            // Dropped connection: close without a response. Hummingbird's attempt to answer afterwards fails quietly.
            try? await channel.close()
            throw CancellationError()
        }
        return httpResponse(response)
    }

    private static func httpResponse(_ response: SimulatorResponse) -> Response {
        var headers = HTTPFields()
        if let seconds = response.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        guard let body = response.body else {
            return Response(status: .init(code: response.status), headers: headers)
        }
        headers[.contentType] = "application/json"
        // One ByteBuffer: Hummingbird writes head and body in a single write.
        let buffer = ByteBuffer(string: body.serialized())
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: .init(code: response.status), headers: headers, body: .init(byteBuffer: buffer))
    }

    static func parseQuery(_ query: String?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in SimulatorRequest.percentDecoded(String(s.replacing("+", with: " "))) }
            out[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }
}

/// The simulator could not start listening.
public struct SimulatorStartError: Error, CustomStringConvertible, Sendable {
    public let host: String
    public let port: Int
    public var description: String {
        "the Synapse simulator could not listen on \(host):\(port); choose another port (0 picks a free one)"
    }
}

/// Request context carrying the connection, so a dropped-connection fault can close it.
struct SimulatorRequestContext: InitializableFromSource {
    let channel: any Channel
    init(source: ApplicationRequestContextSource) { channel = source.channel }
}
