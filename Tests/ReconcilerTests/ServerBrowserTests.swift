import Foundation
import Reconciler
import Testing

/// The status page opened in a real headless Chromium, as a person would during the migration.
///
/// Needs `/usr/bin/chromium` (CI installs it: `apt-get install -y --no-install-recommends chromium`); without it
/// these tests fail with that advice rather than pass silently.
@Suite("Status page in a headless browser", .serialized)
struct ServerBrowserTests {
    @Test func chromiumRendersTheRevisionAndTheReconcileTable() async throws {
        let browser = try BrowserProcess.chromium()
        defer { browser.cleanUp() }
        let server = try await ServerHarness.start(status: ServerStatusPageTests.hostileStatus()) { $0.reportDirectory = "/nonexistent" }
        let url = server.baseURL + "/status"

        let run = try await browser.run(["--dump-dom", url], timeout: 90)
        await server.stop()

        #expect(!run.timedOut, "chromium timed out; stderr: \(run.stderr.suffix(2000))")
        #expect(run.exitStatus == 0, "chromium failed; stderr: \(run.stderr.suffix(2000))")
        let dom = run.stdout
        #expect(dom.contains("3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a"), "revision missing from the DOM")
        #expect(dom.contains(#"id="recent""#))
        #expect(dom.components(separatedBy: #"<tr class="reconcile "#).count - 1 == 2, "expected two reconcile rows")
        #expect(dom.contains("invalid-config"))
        #expect(dom.contains("failing"))
        // The hostile texts stayed text: the parser made no script or img element from them.
        #expect(!dom.contains("<script"))
        #expect(!dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        #expect(dom.contains("<title>litellm-synapse: failing</title>"))
    }

    @Test func chromiumTakesAScreenshot() async throws {
        let browser = try BrowserProcess.chromium()
        defer { browser.cleanUp() }
        let server = try await ServerHarness.start()
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }

        let url = server.baseURL + "/status"
        let run = try await browser.run(["--screenshot=\(png)", "--window-size=1200,900", "--hide-scrollbars", url], timeout: 90)
        await server.stop()

        #expect(!run.timedOut, "chromium timed out; stderr: \(run.stderr.suffix(2000))")
        #expect(run.exitStatus == 0, "chromium failed; stderr: \(run.stderr.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: png), "no screenshot written")
        let bytes = [UInt8](data)
        #expect(bytes.count > 5_000, "screenshot suspiciously small: \(bytes.count) bytes")
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        // IHDR: width and height as rendered.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > 0 && height > 0)
        if ProcessInfo.processInfo.environment["SAVE_STATUS_SCREENSHOT"] != nil {
            try? FileManager.default.removeItem(atPath: "/tmp/status-page.png")
            try? FileManager.default.copyItem(atPath: png, toPath: "/tmp/status-page.png")
        }
    }
}
