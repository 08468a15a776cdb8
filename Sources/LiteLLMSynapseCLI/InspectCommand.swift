import ArgumentParser
import Mapping

/// `litellm-synapse inspect --config FILE`: exactly what the tool read, includes merged, secrets masked.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the fully loaded config (includes merged) as JSON, literal secrets masked.")

    @Option(name: .long, help: "The LiteLLM config file.")
    var config: String

    /// Only JSON: `--format text` is refused rather than answered with JSON.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
    }

    @Option(name: .long, help: "json (the only format; accepted for symmetry with plan).")
    var format: Format = .json

    func run() throws {
        do {
            let loaded = try ConfigLoader(source: LocalFileSource()).load(config)
            _ = try LiteLLMConfig(loaded)  // the same validation plan does: a config inspect accepts, plan accepts
            print(ConfigInspector.json(loaded).prettyPrinted(), terminator: "")
        } catch {
            throw fail(error)
        }
    }
}
