import ArgumentParser
import Mapping

/// The original migration script's interface, kept so its users' scripts keep working:
/// `migrate --input FILE --output DIR` (dry run), then `--apply` or `--validate` with `--gateway-url` and `--api-key`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "The seed script's interface: --input/--output dry run, --apply, --validate.")

    @Option(name: .long, help: "The LiteLLM config file.")
    var input: String

    @Option(name: .long, help: "Folder for payloads/, apply.sh and migration_report.md (and the apply report).")
    var output: String

    @Flag(name: .long, help: "Apply the plan to the gateway (idempotent reconcile).")
    var apply = false

    @Flag(name: .long, help: "Check that the gateway matches the config.")
    var validate = false

    @Option(name: .long, help: "File for the secrets of new virtual keys (default: OUTPUT/virtual-key-secrets.json, mode 0600).")
    var secretsOut: String?

    @OptionGroup var gateway: GatewayFlags

    func run() async throws {
        try Planner.plan(config: input, output: output, format: .text, tenant: nil)
        guard apply || validate else { return }
        let configFlags = try ConfigFlags.parse(["--config", input])
        if apply {
            try await Reconcile.once(
                configFlags: configFlags, gateway: gateway, changes: try ChangeFlags.parse([]), dryRun: false,
                reportDir: output + "/reports", secretsOut: secretsOut ?? output + "/virtual-key-secrets.json", mode: "apply")
        }
        if validate {
            try await Validation.run(configFlags: configFlags, gateway: gateway)
        }
    }
}
