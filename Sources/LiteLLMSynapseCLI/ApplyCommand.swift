import ArgumentParser
import Diff
import Dispatch
import FoundationEssentials
import Glibc
import Synchronization
import Reconciler

/// `litellm-synapse apply`: one reconcile pass. Exit 0 when the gateway matches the config afterwards, 1 otherwise.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Reconcile the gateway with the config once (idempotent), and write a report.")

    @OptionGroup var configFlags: ConfigFlags
    @OptionGroup var gateway: GatewayFlags

    @OptionGroup var changes: ChangeFlags

    @Flag(name: .long, help: "Compute and show the plan; write nothing.")
    var dryRun = false

    @Option(name: .long, help: "Folder for the reconcile report (Markdown + JSON).")
    var reportDir: String?

    @Option(name: .long, help: "File for the secrets of new virtual keys (created with mode 0600).")
    var secretsOut: String?

    func run() async throws {
        try await Reconcile.once(
            configFlags: configFlags, gateway: gateway, changes: changes, dryRun: dryRun, reportDir: reportDir, secretsOut: secretsOut, mode: dryRun ? "dry-run" : "apply")
    }
}

/// The apply work shared by `apply` and the seed-compatible `migrate --apply`.
enum Reconcile {
    static func once(
        configFlags: ConfigFlags, gateway: GatewayFlags, changes: ChangeFlags, dryRun: Bool, reportDir: String?,
        secretsOut: String?, mode: String
    ) async throws {
        let mapping = try configFlags.map()
        var options = ReconcileOptions()
        options.diff = changes.diffOptions
        options.dryRun = dryRun
        options.allowMassDelete = changes.allowMassDelete
        options.secretsOut = secretsOut
        let client = try gateway.client()
        let progress = ProgressLine()
        let result = await ReconcilePass.run(
            mapping: mapping, client: client, environment: try configFlags.environment(for: mapping), options: options,
            progress: { progress.record($0) })
        progress.finish()
        let context = ReconcileContext(trigger: "cli", mode: mode, configFiles: mapping.files)
        if let reportDir {
            do {
                let base = try ReconcileReport.write(result, context: context, to: reportDir)
                StandardStream.error.write("report: \(reportDir)/\(base).md\n")
            } catch {
                printWarning("could not write the report: \(error)")
            }
        }
        for warning in result.warnings { printWarning(warning) }
        if let error = result.error { throw fail(error) }
        if let plan = result.plan { print(PlanRenderer.text(plan), terminator: "") }
        for failure in result.results where failure.failed {
            StandardStream.error.write("failed: \(failure.change.action.rawValue) \(failure.change.ref): \(failure.outcome)\n")
        }
        let skipped = result.results.filter { if case .skipped = $0.outcome { return true } else { return false } }
        for s in skipped { StandardStream.error.write("skipped: \(s.change.ref): \(s.outcome)\n") }
        let stats = result.requests
        print("Result: \(result.status.rawValue); \(result.results.count) change(s) attempted, \(result.failures.count) failed; \(stats?.total ?? 0) gateway requests (\(stats?.retries ?? 0) retries)")
        if !result.secretsWritten.isEmpty, let secretsOut { print("Secrets of \(result.secretsWritten.count) new virtual key(s) written to \(secretsOut)") }
        if result.status == .partiallyFailed { throw ExitCode(1) }
    }
}

/// A one-line progress display on a terminal (nothing when stderr is not a terminal).
final class ProgressLine: Sendable {
    private let done = Mutex(0)
    private let enabled = isatty(STDERR_FILENO) == 1

    func record(_ result: ChangeResult) {
        guard enabled else { return }
        let count = done.withLock { n in
            n += 1
            return n
        }
        StandardStream.error.write("\r\u{1B}[2K[\(count)] \(result.change.action.rawValue) \(result.change.ref)")
    }

    func finish() {
        guard enabled, done.withLock({ $0 }) > 0 else { return }
        StandardStream.error.write("\r\u{1B}[2K")
    }
}
