import Foundation
import SynapseContract
import SynapseSimulator
import Testing

@Suite("Simulator keep-alive")
struct SimulatorKeepAliveTests {
    /// A server that lets Nagle's algorithm meet delayed ACKs stalls keep-alive clients about 40 ms per request.
    @Test("200 sequential keep-alive requests from one curl process do not stall")
    func sequentialKeepAliveRequestsAreFast() async throws {
        try await withSimulator { (sim, _) async throws in
            let url = sim.baseURL + ResourceKind.team.collectionPath
            let result = try runProcess(
                ["timeout", "60", "curl", "-s", "-H", "Authorization: Bearer \(testKey)",
                 "-w", "%{http_code} %{num_connects} %{time_total}\\n"]
                    + (0..<200).flatMap { _ in ["-o", "/dev/null", url] })
            try #require(result.status == 0, "curl failed (install curl if missing): \(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ") }
            #expect(lines.count == 200)
            let failed = lines.filter { $0.first != "200" }.map { $0.joined(separator: " ") }
            #expect(failed.isEmpty, "\(failed.count) non-200 answers, first: \(failed.prefix(3))")
            let connects = lines.compactMap { Int($0[1]) }.reduce(0, +)
            #expect(connects == 1, "curl should reuse one connection, made \(connects)")
            let times = lines.compactMap { Double($0[2]) }.sorted()
            let mean = times.reduce(0, +) / Double(times.count)
            let median = times[times.count / 2]
            print("keep-alive: 200 requests, mean \(mean * 1000) ms, median \(median * 1000) ms, max \((times.last ?? 0) * 1000) ms")
            #expect(median < 0.02, "median \(median * 1000) ms per request looks like a Nagle/delayed-ACK stall")
        }
    }
}
