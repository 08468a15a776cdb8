import Logging
import SynapseContract

/// How to start a `SynapseSimulator`.
///
/// ```swift
/// let options = SimulatorOptions(port: 0, apiKey: Secret("test-key"), faults: .none, seed: 7)
/// let sim = try await SynapseSimulator.start(options: options)
/// defer { Task { await sim.stop() } }
/// print(sim.baseURL)   // http://127.0.0.1:54321
/// ```
public struct SimulatorOptions: Sendable {
    /// Address to listen on; keep the loopback default unless the simulator must be reachable from elsewhere.
    public var host: String
    /// Port to listen on; 0 picks a free port (read it from `RunningSimulator.port`).
    public var port: Int
    /// The bearer key every `/api/` request must present.
    public var apiKey: Secret
    public var faults: FaultOptions
    /// Seeds fault decisions and generated ids/secrets: the same seed and request sequence give the same run.
    public var seed: UInt64
    /// Level of the simulator's and Hummingbird's log messages.
    public var logLevel: Logger.Level

    public init(
        host: String = "127.0.0.1", port: Int = 0, apiKey: Secret, faults: FaultOptions = .none, seed: UInt64 = 1,
        logLevel: Logger.Level = .warning
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.faults = faults
        self.seed = seed
        self.logLevel = logLevel
    }
}
