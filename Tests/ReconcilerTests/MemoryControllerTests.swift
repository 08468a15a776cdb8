import Foundation
import Logging
import SynapseContract
import Testing

@testable import Reconciler

/// Memory that must not grow with the number of reconciles. Each test repeats one component many times and bounds the
/// growth of the process's resident memory (VmRSS). The bounds are generous: the leaks they guard against grew
/// several times more over the same loop, and tests of other suites run meanwhile.
@Suite("Memory: the controller's wait between passes", .serialized)
struct MemoryControllerTests {
    /// A wait ended by a webhook or manual request used to leave its cancelled `Task.sleep` (task and dispatch timer,
    /// ~0.7 KB) allocated until the interval's deadline: with a 1 h interval, ~14 MB over these 20,000 waits.
    @Test func waitsEndedByARequestLeaveNothingBehind() async throws {
        let fixture = try GitFixture()
        var options = ControllerOptions(
            git: GitSourceOptions(url: fixture.folder("origin"), cacheDir: fixture.folder("state/git")),
            configPath: "config.yaml", reportDirectory: fixture.folder("reports"), secretsOut: fixture.folder("keys.json"))
        options.intervalSeconds = 3600
        let gateway = try GatewayClient(options: GatewayOptions(baseURL: "http://127.0.0.1:9", apiKey: Secret("unused")))
        let controller = try Controller(
            options: options, gateway: gateway, metrics: MetricsRegistry(), logger: Logger(label: "test"), processEnvironment: [:])

        func waitThenRequest() async {
            async let reason = controller.nextTrigger(after: 3600)
            while await !controller.isWaitingForTrigger { await Task.yield() }
            await controller.requestReconcile(.manual)
            #expect(await reason == .manual)
        }
        for _ in 0..<2_000 { await waitThenRequest() }  // warm up: allocator caches, thread pool
        let before = try #require(MemoryProbe.residentBytes(), "VmRSS unreadable from /proc/self/status")
        for _ in 0..<20_000 { await waitThenRequest() }
        let growth = try #require(MemoryProbe.residentBytes()) - before
        #expect(growth < 5 << 20, "resident memory grew by \(growth >> 10) KiB over 20,000 waits")
    }
}

enum MemoryProbe {
    /// VmRSS of this process from /proc/self/status, in bytes (nil where unavailable).
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
        else { return nil }
        return kib << 10
    }
}
