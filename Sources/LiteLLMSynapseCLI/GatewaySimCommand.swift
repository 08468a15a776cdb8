import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import Synchronization
import SynapseContract
import SynapseSimulator

/// `litellm-synapse gateway-sim`: a local, in-memory Synapse gateway for rehearsing a migration.
struct GatewaySimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-sim",
        abstract: "Serve an in-memory Synapse gateway on loopback (for rehearsals and tests), with optional faults.")

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port (0 picks a free one and prints it).")
    var port = 8080

    @Option(name: .long, help: "File holding the bearer key clients must send (default: $SYNAPSE_API_KEY).")
    var apiKeyFile: String?

    @Option(name: .long, help: "Share of /api/ requests answered 500/502/503 (0 to 1).")
    var errorRate: Double = 0

    @Option(name: .long, help: "Share of /api/ requests answered 429 with retry_after_secs.")
    var rateLimitRate: Double = 0

    @Option(name: .long, help: "Share of writes committed and then answered 504.")
    var commitThenTimeoutRate: Double = 0

    @Option(name: .long, help: "Share of writes whose connection is dropped after committing.")
    var dropAfterCommitRate: Double = 0

    @Option(name: .long, help: "Added latency per /api/ request, in milliseconds.")
    var latencyMs: Int = 0

    @Option(name: .long, help: "Seed of the fault dice (same seed, same faults).")
    var seed: UInt64 = 1

    func run() async throws {
        let key = try GatewayFlags.apiKey(file: apiKeyFile, flag: nil, environment: ProcessInfo.processInfo.environment)
        var faults = FaultOptions()
        faults.errorRate = errorRate
        faults.rateLimitRate = rateLimitRate
        faults.commitThenTimeoutRate = commitThenTimeoutRate
        faults.timeoutBehavior = .gatewayTimeout
        faults.dropAfterCommitRate = dropAfterCommitRate
        faults.latencyMilliseconds = latencyMs
        for (name, rate) in [("error-rate", errorRate), ("rate-limit-rate", rateLimitRate), ("commit-then-timeout-rate", commitThenTimeoutRate), ("drop-after-commit-rate", dropAfterCommitRate)]
        where !(0...1).contains(rate) {
            throw fail("--\(name) must be between 0 and 1")
        }
        let running: RunningSimulator
        do {
            running = try await SynapseSimulator.start(options: SimulatorOptions(host: host, port: port, apiKey: key, faults: faults, seed: seed))
        } catch {
            throw fail(error)
        }
        StandardStream.output.write("Synapse simulator listening on \(running.baseURL)\n")
        await ShutdownSignal.wait()
        await running.stop()
    }
}

/// Waits for SIGINT or SIGTERM without a busy loop.
enum ShutdownSignal {
    static func wait() async {
        let stream = AsyncStream<Int32> { continuation in
            let queue = DispatchQueue(label: "litellm-synapse.signals")
            let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let retained = SignalSources(sources)
            continuation.onTermination = { _ in retained.cancel() }
        }
        for await _ in stream { return }
    }
}

/// Keeps the signal sources alive until the stream ends (Dispatch sources are thread-safe; the type is not marked so).
private final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}
