import NIOCore
import SynapseContract

/// A simulator serving in the background, started by `SynapseSimulator.start(options:)`. Call `stop()` when done.
///
/// ```swift
/// let sim = try await SynapseSimulator.start(options: SimulatorOptions(apiKey: Secret("k"), seed: 42))
/// await sim.setFaults({ var f = FaultOptions(); f.errorRate = 0.5; return f }())
/// // … requests to sim.baseURL …
/// await sim.stop()
/// ```
public struct RunningSimulator: Sendable {
    public let simulator: SynapseSimulator
    /// The bound port (useful when the options asked for port 0).
    public let port: Int
    public let host: String
    private let listener: any Channel
    private let task: Task<Void, any Error>

    init(simulator: SynapseSimulator, listener: any Channel, host: String, task: Task<Void, any Error>) {
        self.simulator = simulator
        self.listener = listener
        self.port = listener.localAddress?.port ?? 0
        self.host = host
        self.task = task
    }

    /// `http://HOST:PORT`, without a trailing slash.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Replaces the fault set, as `POST /_sim/faults` does.
    public func setFaults(_ faults: FaultOptions) async {
        await simulator.gateway.setFaults(faults)
    }

    /// Waits until the server stops (after `stop()`, or when it fails: the error is rethrown).
    public func waitUntilStopped() async throws {
        try await task.value
    }

    /// Stops serving (requests in flight are cancelled) and waits until the port is released.
    public func stop() async {
        // Closing the listening socket first ends the accept loop normally; cancelling then ends open connections.
        try? await listener.close()
        task.cancel()
        _ = await task.result
    }
}
