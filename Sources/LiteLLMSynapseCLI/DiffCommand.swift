import ArgumentParser
import Diff
import Foundation
import Reconciler

/// `litellm-synapse diff`: what `apply` would change. Exit 0 in sync, 2 changes pending, 1 error.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show what apply would change on the gateway (exit 0 in sync, 2 changes pending, 1 error).")

    @OptionGroup var configFlags: ConfigFlags
    @OptionGroup var gateway: GatewayFlags

    @Option(name: .long, help: "text, markdown or json.")
    var format: PlanFormat = .text

    @Flag(name: .long, help: "Include deletions of owned objects that left the config.")
    var prune = false

    @Flag(name: .long, help: "Treat same-named objects the controller did not create as its own.")
    var adopt = false

    func run() async throws {
        let mapping = try configFlags.map()
        var options = ReconcileOptions()
        options.dryRun = true
        options.diff = DiffOptions(prune: prune, adopt: adopt)
        let result = await ReconcilePass.run(
            mapping: mapping, client: try gateway.client(), environment: try configFlags.environment(for: mapping), options: options)
        guard let plan = result.plan, result.error == nil else { throw fail(result.error ?? "diff failed") }
        print(PlanFormat.render(plan, format), terminator: "")
        // Conflicts (same-named objects the controller does not own) are shown but are not changes apply would make.
        if !plan.isEmpty { throw ExitCode(2) }
    }
}

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json

    static func render(_ plan: Plan, _ format: PlanFormat) -> String {
        switch format {
        case .text: return PlanRenderer.text(plan)
        case .markdown: return PlanRenderer.markdown(plan)
        case .json: return PlanRenderer.json(plan).prettyPrinted()
        }
    }
}
