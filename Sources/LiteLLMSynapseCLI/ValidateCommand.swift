import ArgumentParser
import Diff
import Reconciler

/// `litellm-synapse validate`: checks the gateway holds what the config asks for. Exit 0 if so, 1 if not.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check that the gateway matches the config (exit 0 in sync, 1 otherwise).")

    @OptionGroup var configFlags: ConfigFlags
    @OptionGroup var gateway: GatewayFlags

    func run() async throws {
        try await Validation.run(configFlags: configFlags, gateway: gateway)
    }
}

enum Validation {
    static func run(configFlags: ConfigFlags, gateway: GatewayFlags) async throws {
        let mapping = try configFlags.map()
        var options = ReconcileOptions()
        options.dryRun = true
        let result = await ReconcilePass.run(
            mapping: mapping, client: try gateway.client(), environment: try configFlags.environment(for: mapping), options: options)
        guard let plan = result.plan, result.error == nil else { throw fail(result.error ?? "validation failed") }
        if plan.isEmpty && plan.conflicts.isEmpty {
            print("Valid: the gateway matches the config (\(plan.unchanged.count) objects checked).")
            return
        }
        print(PlanRenderer.text(plan), terminator: "")
        throw fail("the gateway does not match the config: \(PlanRenderer.summary(plan)) Run `litellm-synapse apply` to fix it.")
    }
}
