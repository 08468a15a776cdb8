import ArgumentParser
import Mapping

/// The original migration script's flags: `migrate --input FILE --output DIR` is the dry run.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "The seed script's interface: --input/--output dry run (use plan, apply and validate for more).")

    @Option(name: .long, help: "The LiteLLM config file.")
    var input: String

    @Option(name: .long, help: "Folder for payloads/, apply.sh and migration_report.md.")
    var output: String

    func run() throws {
        try Planner.plan(config: input, output: output, format: .text, tenant: nil)
    }
}
