import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import Mapping
import Reconciler
import SynapseContract
import Synchronization

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

/// Holds a value that is deliberately never released (see the end of `Planner.plan`).
private final class ExitRetained<Value>: Sendable where Value: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The plan work shared by `plan` and the seed-compatible `migrate`.
enum Planner {
    static func plan(config: String, output: String?, format: OutputFormat, tenant: String?) throws {
        let mapped: MappedConfig
        do {
            mapped = try MappingPipeline.mapDesired(configPath: config, source: LocalFileSource(), tenant: tenant)
        } catch {
            throw fail(error)
        }
        let result: MappingResult
        if let output {
            // Each file goes to disk as it is rendered: a 10,000-deployment plan is over 20 MB of text. The payload
            // files (with apply.sh) need only the desired state; the report needs the key report first. The two take
            // about as long as each other: one core does each.
            let report = Mutex<MappingReport?>(nil)
            do {
                try OutputDirectory.replace(at: output) { folder throws(OutputDirectory.WriteError) in
                    let failures = Mutex<[OutputDirectory.WriteError?]>([nil, nil])
                    DispatchQueue.concurrentPerform(iterations: 2) { part in
                        do throws(OutputDirectory.WriteError) {
                            if part == 0 {
                                for kind in ResourceKind.applyOrder {
                                    try folder.write(PlanPayloads.fileName(of: kind)) { PlanPayloads.write(kind, of: mapped.desired, to: &$0) }
                                }
                                try folder.write("apply.sh", mode: 0o755) { $0.append(ApplyScript.render(for: mapped.desired)) }
                            } else {
                                let result = MappingResult(mapped, report: mapped.keyReport())
                                report.withLock { $0 = result.report }
                                try folder.write("migration_report.md") { MigrationReport.write(result, to: &$0) }
                            }
                        } catch {
                            failures.withLock { $0[part] = error }
                        }
                    }
                    // The same error as writing one file after the other would report: the payloads' first.
                    if let failure = failures.withLock({ $0.compactMap { $0 }.first }) { throw failure }
                }
            } catch {
                throw fail(error)
            }
            result = MappingResult(mapped, report: report.withLock { $0 } ?? mapped.keyReport())
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
        // The command ends here and the process with it: freeing the 10,000s of objects one by one would only cost
        // time (a tenth of a large plan's run), so the result is left for the OS to reclaim.
        _ = Unmanaged.passRetained(ExitRetained(result))
        _ = Unmanaged.passRetained(ExitRetained(mapped))
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
