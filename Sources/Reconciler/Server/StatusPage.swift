import FoundationEssentials
import Glibc
import SynapseContract

/// Renders the controller's status for people (`GET /status`, HTML) and for tools (`GET /api/status`, JSON).
///
/// The HTML page is self-contained: no JavaScript, no external stylesheet, font or image; it reloads itself every
/// 10 seconds with a `<meta http-equiv="refresh">`. Every piece of text from the status (revisions, reasons, errors,
/// kinds, the repository URL) is HTML-escaped, so a commit or an error message cannot inject markup.
///
/// ```swift
/// var status = ControllerStatus(mode: "sync", repository: "https://git.example/gw.git", ref: "main", configPath: "config.yaml")
/// status.syncState = .synced
/// let page = StatusPage.html(status)          // "<!DOCTYPE html>…"
/// let json = StatusPage.json(status)          // ["syncState": "synced", …]
/// ```
///
/// ## `/api/status` fields (stable; absent values are `null`, never omitted)
/// - `mode` (string), `repository` (URL without credentials), `ref`, `configPath`
/// - `syncState`: `synced` | `drifted` | `failing` | `unknown`
/// - `ready`, `reconcileInProgress` (booleans)
/// - `lastGoodRevision`, `lastFetchedRevision`, `failingRevision`, `failingReason`, `degradedReason` (string or null)
/// - `driftByKind` (object: kind → count), `driftTotal` (integer)
/// - `lastSuccessAt` (RFC 3339 UTC, e.g. `2025-05-01T12:00:00Z`, or null)
/// - `recent`: newest first, objects with `startedAt`, `trigger` (`startup` | `interval` | `webhook` | `manual`),
///   `mode`, `revision`, `status`, `created`, `updated`, `deleted`, `failed`, `driftObjects`, `seconds`,
///   `reportBase`, `reports` (`{"markdown": "/reports/<base>.md", "json": "/reports/<base>.json"}` or null), `error`
public enum StatusPage {
    /// The JSON document served at `/api/status`.
    public static func json(_ status: ControllerStatus) -> JSONValue {
        let drift = status.driftByKind.mapValues { JSONValue.int($0) }
        return [
            "mode": .string(status.mode),
            "repository": .string(status.repository),
            "ref": .string(status.ref),
            "configPath": .string(status.configPath),
            "syncState": .string(status.syncState.rawValue),
            "ready": .bool(status.ready),
            "reconcileInProgress": .bool(status.reconcileInProgress),
            "lastGoodRevision": optional(status.lastGoodRevision),
            "lastFetchedRevision": optional(status.lastFetchedRevision),
            "failingRevision": optional(status.failingRevision),
            "failingReason": optional(status.failingReason),
            "degradedReason": optional(status.degradedReason),
            "driftByKind": .object(JSONObject(drift)),
            "driftTotal": .int(status.driftByKind.values.reduce(0, +)),
            "lastSuccessAt": optional(status.lastSuccessAt.map(timestamp)),
            "recent": .array(status.recent.map(json)),
        ]
    }

    /// One entry of `recent`.
    static func json(_ summary: ReconcileSummary) -> JSONValue {
        let reports: JSONValue = summary.reportBase.map {
            ["markdown": .string(reportPath($0, extension: "md")), "json": .string(reportPath($0, extension: "json"))]
        } ?? .null
        return [
            "startedAt": .string(timestamp(summary.startedAt)),
            "trigger": .string(summary.trigger.rawValue),
            "mode": .string(summary.mode),
            "revision": optional(summary.revision),
            "status": .string(summary.status),
            "created": .int(summary.created),
            "updated": .int(summary.updated),
            "deleted": .int(summary.deleted),
            "failed": .int(summary.failed),
            "driftObjects": .int(summary.driftObjects),
            "seconds": .double(summary.seconds.isFinite ? summary.seconds : 0),
            "reportBase": optional(summary.reportBase),
            "reports": reports,
            "error": optional(summary.error),
        ]
    }

    /// The HTML page served at `/status`. `linkReports: false` leaves out report links (no report folder served).
    public static func html(_ status: ControllerStatus) -> String {
        html(status, linkReports: true)
    }

    public static func html(_ status: ControllerStatus, linkReports: Bool) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="10">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>litellm-synapse: \(escape(status.syncState.rawValue))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>litellm-synapse</h1> <span id="sync-state" class="state state-\(escape(status.syncState.rawValue))">\(escape(status.syncState.rawValue))</span></header>

            """
        if let revision = status.failingRevision {
            page += "<p id=\"failing\" class=\"alert\">Revision <code>\(escape(revision))</code> cannot be used"
            if let reason = status.failingReason { page += ": \(escape(reason))" }
            page += ". The last good revision stays applied.</p>\n"
        }
        if let reason = status.degradedReason {
            page += "<p id=\"degraded\" class=\"alert\">Degraded: \(escape(reason)). Retrying with backoff.</p>\n"
        }
        page += "<section id=\"summary\"><dl>\n"
        let rows: [(String, String, String)] = [
            ("mode", "Mode", escape(status.mode)),
            ("repository", "Repository", escape(status.repository)),
            ("ref", "Ref", escape(status.ref)),
            ("config-path", "Config", escape(status.configPath)),
            ("revision", "Applied revision", status.lastGoodRevision.map { "<code>\(escape($0))</code>" } ?? "none yet"),
            ("fetched-revision", "Fetched revision", status.lastFetchedRevision.map { "<code>\(escape($0))</code>" } ?? "none yet"),
            ("ready", "Ready", status.ready ? "yes" : "no"),
            ("in-progress", "Reconciling now", status.reconcileInProgress ? "yes" : "no"),
            ("last-success", "Last success", status.lastSuccessAt.map { escape(displayTime($0)) + " UTC" } ?? "never"),
        ]
        for (id, label, value) in rows {
            page += "<dt>\(label)</dt><dd id=\"\(id)\">\(value)</dd>\n"
        }
        page += "</dl></section>\n"

        page += "<section><h2>Drift</h2>\n"
        let drift = status.driftByKind.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        if drift.isEmpty {
            page += "<p id=\"drift\">No drift at the last reconcile.</p>\n"
        } else {
            page += "<table id=\"drift\"><thead><tr><th>Kind</th><th class=\"n\">Objects</th></tr></thead><tbody>\n"
            for (kind, count) in drift {
                page += "<tr><td>\(escape(kind))</td><td class=\"n\">\(count)</td></tr>\n"
            }
            page += "</tbody></table>\n"
        }
        page += "</section>\n"

        page += "<section><h2>Recent reconciles</h2>\n"
        if status.recent.isEmpty {
            page += "<p id=\"recent-empty\">No reconcile has run yet.</p>\n"
        }
        page += """
            <div class="scroll"><table id="recent"><thead><tr><th>Started (UTC)</th><th>Trigger</th><th>Mode</th><th>Revision</th>\
            <th>Result</th><th class="n">Created</th><th class="n">Updated</th><th class="n">Deleted</th>\
            <th class="n">Failed</th><th class="n">Drift</th><th class="n">Duration</th><th>Report</th></tr></thead><tbody>

            """
        for summary in status.recent {
            page += "<tr class=\"reconcile result-\(escape(cssToken(summary.status)))\">"
            page += "<td>\(escape(displayTime(summary.startedAt)))</td>"
            page += "<td>\(escape(summary.trigger.rawValue))</td>"
            page += "<td>\(escape(summary.mode))</td>"
            if let revision = summary.revision {
                page += "<td><code title=\"\(escape(revision))\">\(escape(String(revision.prefix(12))))</code></td>"
            } else {
                page += "<td>-</td>"
            }
            page += "<td>\(escape(summary.status))"
            if let error = summary.error { page += "<div class=\"error\">\(escape(error))</div>" }
            page += "</td>"
            for n in [summary.created, summary.updated, summary.deleted, summary.failed, summary.driftObjects] {
                page += "<td class=\"n\">\(n)</td>"
            }
            page += "<td class=\"n\">\(escape(duration(summary.seconds)))</td>"
            if linkReports, let base = summary.reportBase {
                page += "<td><a href=\"\(escape(reportPath(base, extension: "md")))\">md</a> "
                page += "<a href=\"\(escape(reportPath(base, extension: "json")))\">json</a></td>"
            } else {
                page += "<td>-</td>"
            }
            page += "</tr>\n"
        }
        page += "</tbody></table></div></section>\n"
        page += """
            <footer>Reloads every 10 s. <a href="/api/status">JSON</a> · <a href="/metrics">metrics</a></footer>
            </body>
            </html>

            """
        return page
    }

    /// Escapes text for HTML element content and double- or single-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `/reports/<base>.<ext>`, with anything but unreserved URL characters percent-encoded.
    static func reportPath(_ base: String, extension ext: String) -> String {
        "/reports/\(PathEscaping.escapeSegment(base)).\(ext)"
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// `2025-05-01 12:00:00`: easier to read in a table than RFC 3339.
    private static func displayTime(_ date: Date) -> String {
        String(timestamp(date).replacing("T", with: " ").dropLast())
    }

    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        return seconds < 10 ? "\(seconds.fixed(decimals: 2)) s" : "\(seconds.fixed(decimals: 0)) s"
    }

    /// Status strings become a CSS class: letters, digits and `-` only.
    private static func cssToken(_ text: String) -> String {
        String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    private static func optional(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1d1d1f;background:#fff}\
        header{display:flex;align-items:center;gap:1rem}h1{font-size:1.4rem;margin:0}h2{font-size:1.1rem;margin-top:1.5rem}\
        .state{padding:.2rem .6rem;border-radius:1rem;font-weight:600;background:#ddd}\
        .state-synced{background:#c9f2d0}.state-drifted{background:#fde7b0}.state-failing{background:#f8c4c4}\
        .alert{background:#fff3f3;border-left:4px solid #d33;padding:.5rem .8rem}\
        dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}\
        table{border-collapse:collapse;font-size:.85rem}.scroll{overflow-x:auto}\
        th,td{border-bottom:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top;white-space:nowrap}\
        .n{text-align:right}.error{color:#a00;font-size:.85rem;white-space:normal;min-width:12rem;max-width:28rem}\
        tr.result-failed td,tr.result-invalid-config td,tr.result-git-error td{background:#fff6f6}\
        code{font-family:ui-monospace,monospace}footer{margin-top:2rem;color:#666;font-size:.85rem}
        """
}
