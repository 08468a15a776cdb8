import ArgumentParser
import Foundation
import Mapping
import Reconciler
import SynapseContract

/// `litellm-synapse plan --config FILE --output DIR`: the dry run, with nothing sent anywhere.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Map a LiteLLM config to Synapse payloads, an apply.sh and a migration report (no gateway needed).")

    @Option(name: .long, help: "The LiteLLM config file (its include: files are read too).")
    var config: String

    @Option(name: .long, help: "Folder for payloads/, apply.sh and migration_report.md (replaced as a whole).")
    var output: String?

    @Option(name: .long, help: "text (a summary) or json (the whole plan on stdout).")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Tenant whose rate-limit tier is set (overrides litellm_synapse.tenant; default \"default\").")
    var tenant: String?

    func run() throws {
        try Planner.plan(config: config, output: output, format: format, tenant: tenant)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The plan work shared by `plan` and the seed-compatible `migrate`.
enum Planner {
    static func plan(config: String, output: String?, format: OutputFormat, tenant: String?) throws {
        let result: MappingResult
        do {
            result = try MappingPipeline.map(configPath: config, source: LocalFileSource(), tenant: tenant)
        } catch {
            throw fail(error)
        }
        if let output {
            // Each file goes to disk as it is rendered: a 10,000-deployment plan is over 20 MB of text.
            do {
                try OutputDirectory.replace(at: output) { folder throws(OutputDirectory.WriteError) in
                    for kind in ResourceKind.applyOrder {
                        try folder.write(PlanPayloads.fileName(of: kind)) { PlanPayloads.write(kind, of: result.desired, to: &$0) }
                    }
                    try folder.write("apply.sh", mode: 0o755) { $0.append(ApplyScript.render(for: result.desired)) }
                    try folder.write("migration_report.md") { MigrationReport.write(result, to: &$0) }
                }
            } catch {
                throw fail(error)
            }
        }
        switch format {
        case .json:
            print(PlanJSON.render(result).prettyPrinted(), terminator: "")
        case .text:
            for warning in result.report.warnings { printWarning(warning) }
            print(summary(result, output: output), terminator: "")
        }
    }

    static func summary(_ result: MappingResult, output: String?) -> String {
        let desired = result.desired
        let counts = result.report.counts
        var lines = ["Read \(result.files.count) file\(result.files.count == 1 ? "" : "s"): \(result.files.joined(separator: ", "))"]
        let objects = ResourceKindSummary.counts(desired)
        lines.append("Desired gateway state: \(objects)")
        lines.append("Config keys: \(counts[.mapped] ?? 0) mapped, \(counts[.manual] ?? 0) manual, \(counts[.skipped] ?? 0) skipped; \(result.report.warnings.count) warning\(result.report.warnings.count == 1 ? "" : "s")")
        if let output {
            lines.append("Wrote \(output)/payloads/, \(output)/apply.sh and \(output)/migration_report.md")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

enum ResourceKindSummary {
    static func counts(_ desired: DesiredState) -> String {
        var parts: [String] = []
        var seen: [String] = []
        for object in desired.objects where !seen.contains(object.kind.rawValue) {
            seen.append(object.kind.rawValue)
            let n = desired.count(of: object.kind)
            parts.append("\(n) \(object.kind.displayName)\(n == 1 ? "" : "s")")
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }
}
