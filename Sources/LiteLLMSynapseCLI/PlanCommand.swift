import ArgumentParser
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
        let planned = try Planner.plan(config: config, output: output, format: format, tenant: tenant)
        // The process ends here: freeing the 10,000s of objects of a large plan one by one would only cost time, so
        // they are left for the OS to reclaim.
        _ = Unmanaged.passRetained(ExitRetained(planned))
    }
}

/// Holds a value that is deliberately never released (see `PlanCommand.run`).
private final class ExitRetained<Value>: Sendable where Value: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The plan work shared by `plan` and the seed-compatible `migrate`.
enum Planner {
    /// Maps the config, writes the plan folder and prints the plan; returns what it built (the config's YAML tree
    /// included) for a caller that ends the process next and need not free it.
    @discardableResult
    static func plan(config: String, output: String?, format: OutputFormat, tenant: String?) throws -> (MappedConfig, MappingResult) {
        let mapped: MappedConfig
        do {
            mapped = try MappingPipeline.mapDesired(configPath: config, source: LocalFileSource(), tenant: tenant)
        } catch {
            throw fail(error)
        }
        let result: MappingResult
        if let output {
            // Each file goes to disk as it is rendered: a 10,000-deployment plan is over 20 MB of text. The payload
            // files (with apply.sh) need only the desired state; the report needs the key report first: one core
            // does each.
            var report: MappingReport?
            do {
                try OutputDirectory.replace(at: output) { folder throws(OutputDirectory.WriteError) in
                    let (payloadsWritten, reportWritten) = ChunkedWork.both({ () -> Result<Void, OutputDirectory.WriteError> in
                        Result { () throws(OutputDirectory.WriteError) in
                            for kind in ResourceKind.applyOrder {
                                try folder.write(PlanPayloads.fileName(of: kind)) { PlanPayloads.write(kind, of: mapped.desired, to: &$0) }
                            }
                            try folder.write("apply.sh", mode: 0o755) { $0.append(ApplyScript.render(for: mapped.desired)) }
                        }
                    }, { () -> Result<MappingReport, OutputDirectory.WriteError> in
                        let result = MappingResult(mapped, report: mapped.keyReport())
                        return Result { () throws(OutputDirectory.WriteError) in
                            try folder.write("migration_report.md") { MigrationReport.write(result, to: &$0) }
                            return result.report
                        }
                    })
                    // The same error as writing one file after the other would report: the payloads' first.
                    try payloadsWritten.get()
                    report = try reportWritten.get()
                }
            } catch {
                throw fail(error)
            }
            result = MappingResult(mapped, report: report!)
        } else {
            result = MappingResult(mapped, report: mapped.keyReport())
        }
        switch format {
        case .json:
            print(PlanJSON.render(result).prettyPrinted(), terminator: "")
        case .text:
            for warning in result.report.warnings { printWarning(warning) }
            print(summary(result, output: output), terminator: "")
        }
        return (mapped, result)
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
        let parts = ResourceKind.applyOrder.compactMap { kind -> String? in
            let n = desired.count(of: kind)
            return n == 0 ? nil : "\(n) \(kind.displayName)\(n == 1 ? "" : "s")"
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }
}
