import Foundation
import SynapseContract
import SynapseSimulator
import Testing

@testable import Reconciler

#if canImport(Glibc)
import Glibc
#endif

/// `litellm-synapse watch` as a real process: SIGTERM in the middle of a pass.
@Suite("watch process lifecycle", .serialized)
struct ControllerProcessTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/litellm-synapse"

    /// A config with many models, so a pass against a slow gateway takes several seconds.
    static func bigConfig(models: Int) -> String {
        var text = "model_list:\n"
        for i in 0..<models {
            text += "  - model_name: model-\(i)\n    litellm_params:\n      model: openai/model-\(i)\n      api_key: os.environ/OPENAI_API_KEY\n"
        }
        return text
    }

    @Test func sigtermMidPassExitsCleanlyWithinTenSecondsAndWritesTheReport() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first: swift build")
        let fixture = try GitFixture()
        let origin = try fixture.makeRepository("origin")
        try fixture.commit(in: origin, files: ["config.yaml": Self.bigConfig(models: 60)], message: "many models")
        let key = Secret("sim-\(UUID().uuidString)")
        var faults = FaultOptions()
        faults.latencyMilliseconds = 150  // ~120 writes one at a time: a pass of ~20 s
        let simulator = try await SynapseSimulator.start(options: SimulatorOptions(host: "127.0.0.1", port: 0, apiKey: key, faults: faults))
        defer { Task { await simulator.stop() } }
        let stateDir = fixture.folder("state")
        let port = try GitFixtureNetwork.freePort()
        let log = fixture.folder("watch.log")
        let process = try SpawnedProcess(
            Self.binary,
            [
                "watch", "--repo", origin, "--path", "config.yaml", "--state-dir", stateDir, "--listen", "127.0.0.1:\(port)",
                "--gateway-url", simulator.baseURL, "--concurrency", "1", "--interval", "1h",
            ],
            environment: ["SYNAPSE_API_KEY": key.value, "OPENAI_API_KEY": "sk-provider", "PATH": "/usr/bin:/bin"], log: log)
        defer { process.kill() }

        // Wait until the pass is writing (the simulator counts writes), then ask the process to stop.
        let transport = HTTPTransport()
        let deadline = ContinuousClock.now + .seconds(60)
        var writes = 0
        while ContinuousClock.now < deadline, writes < 3 {
            try await Task.sleep(for: .milliseconds(100))
            let stats = try? await transport.send(HTTPRequest(method: "GET", url: simulator.baseURL + "/_sim/stats", headers: ["Authorization": "Bearer \(key.value)"]))
            writes = stats.flatMap { try? JSONValue.parse($0.body) }?["writes"]?.intValue ?? 0
        }
        #expect(writes >= 3, "the pass never started writing; log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        let signalled = ContinuousClock.now
        process.signal(SIGTERM)
        let status = await process.wait(timeoutSeconds: 15)
        let elapsed = signalled.duration(to: .now)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "exit status \(String(describing: status)); log:\n\(output)")
        #expect(elapsed < .seconds(10))
        let reports = (try? FileManager.default.contentsOfDirectory(atPath: stateDir + "/reports")) ?? []
        #expect(reports.contains { $0.hasPrefix("reconcile-") && $0.hasSuffix(".json") }, "reports: \(reports)")
        #expect(!output.contains("sk-provider") && !output.contains(key.value))
        // The abandoned pass left a consistent gateway: the next apply converges it (no duplicates by natural key).
        let client = try GatewayClient(options: GatewayOptions(baseURL: simulator.baseURL, apiKey: key))
        let models = try await client.list(.model)
        #expect(Set(models.compactMap { $0["modelId"]?.stringValue }).count == models.count)
    }

    @Test func aSecondInstanceOnTheSameStateFolderIsRefused() throws {
        let fixture = try GitFixture()
        let stateDir = fixture.folder("state")
        do {
            let lock = try StateDirectoryLock(stateDirectory: stateDir)
            #expect(throws: StateDirectoryLock.Held.self) { _ = try StateDirectoryLock(stateDirectory: stateDir) }
            withExtendedLifetime(lock) {}
        }
        // Released with its holder.
        _ = try StateDirectoryLock(stateDirectory: stateDir)
    }
}

/// A child process started with posix_spawn (Foundation's Process can hang a test run when the child closes its
/// descriptors), output to a log file, stopped with SIGKILL if still running.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    private var exited = false

    init(_ executable: String, _ arguments: [String], environment: [String: String], log: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner may block signals; the child must see SIGTERM.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw FixtureError("posix_spawn \(executable) failed: \(result)") }
        self.pid = pid
    }

    func signal(_ number: Int32) { _ = Glibc.kill(pid, number) }

    /// The exit status, or nil if the process had not exited within the timeout (it is then killed). Polls with
    /// `Task.sleep`: a blocking wait would hold one of the few Swift concurrency threads for the whole shutdown
    /// grace (8 s), and the in-process servers of every other test answer on those threads.
    func wait(timeoutSeconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill()
        return nil
    }

    func kill() {
        guard !exited else { return }
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exited = true
    }
}
