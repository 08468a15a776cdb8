import Diff
import FoundationEssentials
import Glibc
import Mapping
import SynapseContract

/// Where a reconcile came from: shown at the top of its report.
public struct ReconcileContext: Sendable {
    /// `cli`, `interval`, `webhook`, `manual`.
    public var trigger: String
    /// `apply`, `dry-run`, `diff`, `validate`, `sync`, `observe`.
    public var mode: String
    public var configFiles: [String]
    public var revision: String?
    public var author: String?
    public var commitMessage: String?

    public init(trigger: String, mode: String, configFiles: [String], revision: String? = nil, author: String? = nil, commitMessage: String? = nil) {
        self.trigger = trigger
        self.mode = mode
        self.configFiles = configFiles
        self.revision = revision
        self.author = author
        self.commitMessage = commitMessage
    }
}

/// One Markdown and one JSON report per reconcile (JSON schema: docs/json-formats.md, `reconcile-report` v1).
public enum ReconcileReport {
    public static let schemaVersion = 1

    public static func json(_ result: ReconcileResult, context: ReconcileContext) -> JSONValue {
        var counts: JSONObject = ["created": 0, "updated": 0, "deleted": 0, "replaced": 0, "recovered": 0, "failed": 0, "skipped": 0]
        for r in result.results {
            if r.applied {
                let name = ["create": "created", "update": "updated", "delete": "deleted", "replace": "replaced"][r.change.action.rawValue]!
                counts[name] = .int((counts[name]?.intValue ?? 0) + 1)
                if r.outcome == .recovered { counts["recovered"] = .int((counts["recovered"]?.intValue ?? 0) + 1) }
            } else {
                let name = r.failed ? "failed" : "skipped"
                counts[name] = .int((counts[name]?.intValue ?? 0) + 1)
            }
        }
        counts["unchanged"] = .int(result.plan?.unchanged.count ?? 0)
        var requests: JSONObject = [:]
        if let stats = result.requests {
            for (key, n) in stats.counts.sorted(by: { $0.key < $1.key }) { requests["\(key.method) \(key.status == 0 ? "no-response" : String(key.status))"] = .int(n) }
        }
        return .object([
            "schemaVersion": .int(schemaVersion),
            "startedAt": .string(iso8601(result.startedAt)),
            "status": .string(result.status.rawValue),
            "trigger": .string(context.trigger), "mode": .string(context.mode),
            "configFiles": .array(context.configFiles.map(JSONValue.string)),
            "revision": context.revision.map(JSONValue.string) ?? .null,
            "author": context.author.map(JSONValue.string) ?? .null,
            "commitMessage": context.commitMessage.map(JSONValue.string) ?? .null,
            "error": result.error.map(JSONValue.string) ?? .null,
            "warnings": .array(result.warnings.map(JSONValue.string)),
            "counts": .object(counts),
            "plan": result.plan.map(PlanRenderer.json) ?? .null,
            "results": .array(result.results.map { (r: ChangeResult) -> JSONValue in
                var outcome = ""
                var detail: JSONValue = .null
                switch r.outcome {
                case .succeeded: outcome = "succeeded"
                case .recovered: outcome = "recovered"
                case .failed(let why): outcome = "failed"; detail = .string(why)
                case .skipped(let why): outcome = "skipped"; detail = .string(why)
                }
                return .object([
                    "action": .string(r.change.action.rawValue), "kind": .string(r.change.ref.kind.rawValue),
                    "key": .string(r.change.ref.key), "outcome": .string(outcome), "detail": detail,
                    "seconds": .double((r.seconds * 1000).rounded() / 1000),
                ])
            }),
            "durationsSeconds": .object(JSONObject(result.durations.mapValues { JSONValue.double(($0 * 1000).rounded() / 1000) })),
            "requests": .object(requests),
            "requestTotal": .int(result.requests?.total ?? 0),
            "retries": .int(result.requests?.retries ?? 0),
            "secretsWritten": .array(result.secretsWritten.map(JSONValue.string)),
        ])
    }

    public static func markdown(_ result: ReconcileResult, context: ReconcileContext) -> String {
        var out = "# Reconcile report — \(result.status.rawValue)\n\n"
        out += "| | |\n|---|---|\n"
        out += "| started | \(iso8601(result.startedAt)) |\n| trigger | \(context.trigger) |\n| mode | \(context.mode) |\n"
        out += "| config | \(context.configFiles.joined(separator: ", ")) |\n"
        if let revision = context.revision { out += "| revision | `\(revision)` |\n" }
        if let author = context.author { out += "| author | \(Markdown.cell(author)) |\n" }
        if let message = context.commitMessage { out += "| commit | \(Markdown.cell(message)) |\n" }
        if let stats = result.requests { out += "| gateway requests | \(stats.total) (\(stats.retries) retries) |\n" }
        for (phase, seconds) in result.durations.sorted(by: { $0.key < $1.key }) { out += "| \(phase) time | \(seconds.fixed(decimals: 3)) s |\n" }
        if let error = result.error { out += "\n## Stopped before writing\n\n\(error)\n" }
        if !result.warnings.isEmpty {
            out += "\n## Warnings\n\n" + result.warnings.map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        if let plan = result.plan {
            out += "\n## Plan\n\n" + PlanRenderer.markdown(plan)
        }
        if !result.results.isEmpty {
            out += "\n## Outcome\n\n| change | object | outcome | seconds |\n|---|---|---|---|\n"
            for r in result.results {
                let outcome: String
                switch r.outcome {
                case .succeeded: outcome = "succeeded"
                case .recovered: outcome = "recovered (found after a lost response; not created twice)"
                case .failed(let why): outcome = "**failed**: " + Markdown.cell(why)
                case .skipped(let why): outcome = "skipped: " + Markdown.cell(why)
                }
                out += "| \(r.change.action.rawValue) | \(Markdown.cell(r.change.ref.description)) | \(outcome) | \(r.seconds.fixed(decimals: 3)) |\n"
            }
        }
        if !result.secretsWritten.isEmpty {
            out += "\nSecrets of \(result.secretsWritten.count) new virtual key(s) were written to the secrets file: \(result.secretsWritten.joined(separator: ", ")).\n"
        }
        return out
    }

    /// Writes `reconcile-<time>.md` and `.json` into `directory`; returns the base name.
    @discardableResult
    public static func write(_ result: ReconcileResult, context: ReconcileContext, to directory: String) throws -> String {
        let stamp = iso8601(result.startedAt).replacing(":", with: "").replacing("-", with: "")
        let base = "reconcile-\(stamp)-\(result.status.rawValue)"
        try OutputDirectory.writeFile("\(directory)/\(base).json", contents: json(result, context: context).prettyPrinted())
        try OutputDirectory.writeFile("\(directory)/\(base).md", contents: markdown(result, context: context))
        return base
    }

    /// `2026-05-04T12:00:00.123Z`. A shared format style (FoundationEssentials, no ICU): the index rewrite formats
    /// up to 100 dates per reconcile, and an `ISO8601DateFormatter` per call built an ICU date formatter each time.
    static func iso8601(_ date: Date) -> String {
        date.formatted(iso8601Style)
    }

    private static let iso8601Style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
