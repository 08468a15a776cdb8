import FoundationEssentials
import Glibc
import SynapseContract

/// The report folder of the controller: one Markdown and one JSON report per reconcile, the newest `retention` kept,
/// and an index of the history (`index.json`, `index.md`) rewritten after each reconcile.
public struct ReportStore: Sendable {
    public let directory: String
    public let retention: Int

    public init(directory: String, retention: Int) {
        self.directory = directory
        self.retention = max(1, retention)
    }

    /// Writes the reports of one reconcile, prunes the oldest past the retention limit, returns the base name.
    public func write(_ result: ReconcileResult, context: ReconcileContext) throws -> String {
        let base = try ReconcileReport.write(result, context: context, to: directory)
        try prune()
        return base
    }

    private func prune() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        // Names start with an ISO timestamp, so name order is time order.
        let bases = Set(names.filter { $0.hasPrefix("reconcile-") }.map(ReportStore.baseName)).sorted()
        guard bases.count > retention else { return }
        for base in bases.prefix(bases.count - retention) {
            for ext in ["md", "json"] { try? FileManager.default.removeItem(atPath: "\(directory)/\(base).\(ext)") }
        }
    }

    /// A report file's name without its extension (`reconcile-….md` → `reconcile-…`).
    static func baseName(_ fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: ".") else { return fileName }
        return String(fileName[..<dot])
    }

    /// Rewrites `index.json` and `index.md` from the history (newest first), listing reports still on disk.
    public func writeIndex(_ history: [ReconcileSummary]) throws {
        let kept = Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map(ReportStore.baseName))
        let entries = history.filter { $0.reportBase.map(kept.contains) ?? false }
        let json = JSONValue.array(entries.map { s in
            .object([
                "startedAt": .string(ReconcileReport.iso8601(s.startedAt)), "trigger": .string(s.trigger.rawValue),
                "mode": .string(s.mode), "revision": s.revision.map(JSONValue.string) ?? .null, "status": .string(s.status),
                "created": .int(s.created), "updated": .int(s.updated), "deleted": .int(s.deleted), "failed": .int(s.failed),
                "driftObjects": .int(s.driftObjects), "seconds": .double((s.seconds * 1000).rounded() / 1000),
                "report": .string(s.reportBase ?? ""), "error": s.error.map(JSONValue.string) ?? .null,
            ])
        })
        try OutputDirectory.writeFile("\(directory)/index.json", contents: json.prettyPrinted())
        var md = "# Reconcile history\n\n| started | trigger | mode | revision | status | created | updated | deleted | failed | drift | report |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
        for s in entries {
            let base = s.reportBase ?? ""
            md += "| \(ReconcileReport.iso8601(s.startedAt)) | \(s.trigger.rawValue) | \(s.mode) | `\(s.revision.map { String($0.prefix(12)) } ?? "—")` | \(s.status) | \(s.created) | \(s.updated) | \(s.deleted) | \(s.failed) | \(s.driftObjects) | [md](\(base).md) [json](\(base).json) |\n"
        }
        try OutputDirectory.writeFile("\(directory)/index.md", contents: md)
    }
}
