import ArgumentParser
import Diff
import FoundationEssentials
import Glibc
import Reconciler

/// `litellm-synapse diff`: what `apply` would change. Exit 0 in sync, 2 changes pending, 1 error.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show what apply would change on the gateway (exit 0 in sync, 2 changes pending, 1 error).")

    @OptionGroup var configFlags: ConfigFlags
    @OptionGroup var gateway: GatewayFlags

    @Option(name: .long, help: "text, markdown or json.")
    var format: PlanFormat = .text

    @OptionGroup var changes: ChangeFlags

    func run() async throws {
        let mapping = try configFlags.map()
        var options = ReconcileOptions()
        options.dryRun = true
        options.diff = changes.diffOptions
        options.allowMassDelete = true  // diff only shows: the guard applies when apply would act
        let result = await ReconcilePass.run(
            mapping: mapping, client: try gateway.client(), environment: try configFlags.environment(for: mapping), options: options)
        guard let plan = result.plan, result.error == nil else { throw fail(result.error ?? "diff failed") }
        print(PlanFormat.render(plan, format), terminator: "")
        if changes.prune, !changes.allowMassDelete, let refusal = options.deletionGuard.refusal(for: plan) {
            printWarning("apply --prune would refuse this plan: \(refusal)")
        }
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
