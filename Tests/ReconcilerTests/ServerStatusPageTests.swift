import Foundation
import Reconciler
import SynapseContract
import Testing

@Suite("Status page")
struct ServerStatusPageTests {
    static func hostileStatus() -> ControllerStatus {
        var status = FakeController.sampleStatus()
        status.syncState = .failing
        status.failingRevision = "9999999999999999999999999999999999999999"
        status.failingReason = "commit \"<script>alert('x')</script>\" broke config.yaml & more"
        status.driftByKind["<img src=x onerror=alert(1)>"] = 1
        status.recent[1].error = "<script>document.title='pwned'</script>"
        status.recent[0].reportBase = "r\"><script>x</script>"
        return status
    }

    @Test func everyTextIsEscaped() {
        let html = StatusPage.html(Self.hostileStatus())
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("commit &quot;&lt;script&gt;"))
        #expect(html.contains("broke config.yaml &amp; more"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        // The report base is percent-encoded in the link.
        #expect(html.contains(#"href="/reports/r%22%3E%3Cscript%3Ex%3C%2Fscript%3E.md""#))
    }

    @Test func pageHasTheRevisionTheDriftAndOneRowPerReconcile() {
        let html = StatusPage.html(FakeController.sampleStatus())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains(#"<meta http-equiv="refresh" content="10">"#))
        #expect(html.contains(#"<dd id="revision"><code>3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a</code></dd>"#))
        #expect(html.contains(#"id="sync-state" class="state state-drifted">drifted<"#))
        #expect(html.contains("<tr><td>provider</td><td class=\"n\">1</td></tr>"))
        #expect(html.components(separatedBy: "<tr class=\"reconcile ").count - 1 == 2)
        #expect(html.contains(#"<a href="/reports/reconcile-20250501T120000Z-3f2a9c1e.md">md</a>"#))
        #expect(!html.contains("<script"))
        // No external asset: nothing is loaded or linked from another host.
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))
    }

    @Test func withoutReportFolderThereAreNoReportLinks() {
        let html = StatusPage.html(FakeController.sampleStatus(), linkReports: false)
        #expect(!html.contains("/reports/"))
    }

    @Test func emptyStatusRenders() {
        let html = StatusPage.html(ControllerStatus(mode: "observe", repository: "r", ref: "main", configPath: "c.yaml"))
        #expect(html.contains("none yet"))
        #expect(html.contains("No reconcile has run yet."))
        #expect(html.contains("No drift at the last reconcile."))
    }

    @Test func servedWithHTMLTypeAndAScriptBlockingPolicy() async throws {
        let server = try await ServerHarness.start(status: Self.hostileStatus())
        let response = try await server.get("/status")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/html; charset=utf-8")
        #expect(response.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        #expect(!response.text.contains("<script"))
        await server.stop()
    }
}
