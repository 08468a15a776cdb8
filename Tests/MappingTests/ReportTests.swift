import Foundation
import SynapseContract
import Testing

@testable import Mapping

/// Every key path of a loaded config, with where its key is written, and every list item path.
struct KeyPaths {
    var keys: [(path: String, location: Mapping.SourceLocation)] = []
    var items: Set<String> = []

    init(_ config: LoadedConfig) {
        for pair in config.topLevel { visit(pair, path: pair.key.scalarText) }
    }

    private mutating func visit(_ pair: YAMLPair, path: String) {
        keys.append((path, pair.key.location))
        walk(pair.value, path: path)
    }

    private mutating func walk(_ node: YAMLNode, path: String) {
        switch node.value {
        case .mapping(let pairs):
            for pair in pairs { visit(pair, path: path + "." + pair.key.scalarText) }
        case .sequence(let items):
            for (i, item) in items.enumerated() {
                self.items.insert("\(path)[\(i)]")
                walk(item, path: "\(path)[\(i)]")
            }
        default:
            break
        }
    }
}

/// The report's promise, precisely: every key path of the input is accounted for exactly once. A key is either
/// reported itself, or lies inside the subtree of exactly one reported ancestor (a `.leaf` rule or an override), or,
/// when it holds child keys (a `.descend` rule), is accounted for by its children. So a key with no child keys is
/// covered by exactly one entry (itself or an ancestor), and no key is covered twice. Entries name real keys (or list
/// items) at their own file:line:col, and no path is reported twice.
func checkReportCoversEveryKey(_ result: MappingResult, _ loaded: LoadedConfig, label: String) {
    let paths = KeyPaths(loaded)
    var entriesByPath: [String: [MappingReport.Entry]] = [:]
    for entry in result.report.entries { entriesByPath[entry.path, default: []].append(entry) }
    for (path, entries) in entriesByPath where entries.count > 1 {
        Issue.record("\(label): \(path) is reported \(entries.count) times")
    }
    let keyLocations = Dictionary(paths.keys.map { ($0.path, $0.location) }, uniquingKeysWith: { a, _ in a })
    for entry in result.report.entries {
        if let location = keyLocations[entry.path] {
            if location != entry.location { Issue.record("\(label): \(entry.path) reported at \(entry.location), written at \(location)") }
        } else if !paths.items.contains(entry.path) {
            Issue.record("\(label): \(entry.path) is reported but is no key of the config")
        }
    }
    // Paths that have a child key below them.
    var parents = Set<String>()
    for (path, _) in paths.keys {
        var candidate = Substring(path)
        while let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) {
            candidate = candidate[..<cut]
            parents.insert(String(candidate))
        }
    }
    for (path, _) in paths.keys {
        var covering = 0
        var candidate = Substring(path)
        while true {
            covering += entriesByPath[String(candidate)]?.count ?? 0
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            candidate = candidate[..<cut]
        }
        if covering > 1 || (covering == 0 && !parents.contains(path)) {
            Issue.record("\(label): key \(path) is covered by \(covering) report entries")
        }
    }
}

@Suite("mapping report")
struct ReportTests {
    static let config = """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_key: os.environ/OPENAI_API_KEY
              rpm: 100
              timeout: 30
              temperature: 0.2
              mock_response: hi
            model_info:
              mode: chat
              id: dep-1
              supports_vision: true
              custom_thing: {a: 1}
          - model_name: "*"
            litellm_params: {model: "openai/*"}
          - model_name: nobody
            litellm_params: {model: unknown-model-x, api_key: os.environ/X}
        router_settings:
          routing_strategy: latency-based-routing
          fallbacks: [{gpt-4o: [nobody]}]
          redis_host: localhost
          mystery_router_key: 1
        litellm_settings:
          callbacks: [langfuse]
          drop_params: true
          cache_params: {type: redis, host: x}
        general_settings:
          master_key: os.environ/MASTER
          database_url: os.environ/DB
        guardrails:
          - guardrail_name: g
            litellm_params: {guardrail: presidio}
        my_custom_top_level: {a: [1, {b: 2}]}
        litellm_synapse:
          tenant: acme
        environment_variables: {A: b}
        """

    @Test func everyKeyIsReportedExactlyOnceAtItsPlace() throws {
        let s = Scratch()
        s.write("config.yaml", Self.config)
        let result = try s.map()
        checkReportCoversEveryKey(result, try s.load(), label: "report config")
        #expect(result.report.entries.count > 20)
        let locations = result.report.entries.map(\.location)
        #expect(locations == locations.sorted(), "entries are in config order")
    }

    /// The report says "mapped" exactly for the credential settings the integration carries: AWS session
    /// credentials are not among them, so two deployments differing only in them share an integration.
    @Test func settingsTheIntegrationDoesNotCarryAreManual() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: claude
                litellm_params:
                  model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0
                  aws_region_name: us-east-1
                  aws_session_name: one
                  aws_session_token: os.environ/AWS_SESSION_TOKEN_ONE
              - model_name: claude
                litellm_params:
                  model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0
                  aws_region_name: us-east-1
                  aws_session_name: two
                  aws_session_token: os.environ/AWS_SESSION_TOKEN_TWO
            """)
        #expect(result.objects(.integration).count == 1)
        for path in ["model_list[1].litellm_params.aws_session_name", "model_list[1].litellm_params.aws_session_token"] {
            #expect(result.entry(path)?.category == .manual, "\(path)")
        }
        #expect(result.entry("model_list[1].litellm_params.aws_region_name")?.category == .mapped)
        #expect(result.entry("model_list[0].litellm_params.model")?.category == .mapped)
    }

    @Test func categoriesSpotCheck() throws {
        let result = try mapConfig(Self.config)
        let expected: [(String, MappingReport.Category)] = [
            ("model_list[0].model_name", .mapped), ("model_list[0].litellm_params.model", .mapped),
            ("model_list[0].litellm_params.api_key", .mapped), ("model_list[0].litellm_params.rpm", .mapped),
            ("model_list[0].litellm_params.timeout", .manual), ("model_list[0].litellm_params.temperature", .manual),
            ("model_list[0].litellm_params.mock_response", .skipped), ("model_list[0].model_info.mode", .mapped),
            ("model_list[0].model_info.id", .skipped), ("model_list[0].model_info.supports_vision", .mapped),
            ("model_list[0].model_info.custom_thing", .skipped), ("model_list[1].model_name", .manual),
            ("model_list[2].model_name", .manual), ("model_list[2].litellm_params", .manual),
            ("router_settings.routing_strategy", .mapped), ("router_settings.fallbacks", .manual),
            ("router_settings.redis_host", .skipped), ("router_settings.mystery_router_key", .skipped),
            ("litellm_settings.callbacks", .manual), ("litellm_settings.drop_params", .skipped),
            ("litellm_settings.cache_params", .manual), ("general_settings.master_key", .manual),
            ("general_settings.database_url", .skipped), ("guardrails", .manual), ("my_custom_top_level", .skipped),
            ("litellm_synapse.tenant", .mapped), ("environment_variables", .mapped),
        ]
        for (path, category) in expected {
            let entry = result.entry(path)
            #expect(entry?.category == category, "\(path): \(entry.map { "\($0.category) \($0.note)" } ?? "missing")")
            #expect(entry?.note.isEmpty == false)
        }
        #expect(result.entry("litellm_settings.cache_params.type") == nil, "inside a leaf subtree")
        #expect(result.entry("model_list[0].model_info.custom_thing.a") == nil)
        let counts = result.report.counts
        #expect(counts.values.reduce(0, +) == result.report.entries.count)
        #expect(result.objects(.routingConfig).first?.fields["strategy"] == "latency_sensitive")
        #expect(result.desired.tenant == "acme")
    }

    @Test func includedKeysAreReportedInTheirOwnFiles() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [models.yaml]\nlitellm_settings: {drop_params: true}\n")
        s.write("models.yaml", "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n")
        let result = try s.map()
        checkReportCoversEveryKey(result, try s.load(), label: "includes")
        #expect(result.entry("model_list[0].litellm_params.model")?.location.file == s.path("models.yaml"))
        #expect(result.entry("include") == nil, "include is consumed by the merge")
    }

    @Test func everyExampleReportCoversEveryKey() throws {
        #expect(exampleConfigs.count >= 4)
        for path in exampleConfigs {
            let result = try MappingPipeline.map(configPath: path, source: LocalFileSource())
            let loaded = try ConfigLoader(source: LocalFileSource()).load(path)
            checkReportCoversEveryKey(result, loaded, label: path)
            let rendered = MigrationReport.render(result)
            for entry in result.report.entries.prefix(50) { #expect(rendered.contains(Markdown.cell(entry.path))) }
        }
    }

    /// A pattern's children are found by comparing keys while they are few, then through a dictionary: both must
    /// give every key its own rule, in a mapping with more keys than the short list holds.
    @Test func manyKeysUnderOneSectionAreEachReported() throws {
        let count = KeyClassifier.PatternTable.fewChildren * 3
        var yaml = "model_list:\n  - model_name: m\n    litellm_params: {model: openai/gpt-4o, rpm: 5}\nlitellm_settings:\n"
        for i in 0..<count { yaml += "  custom_\(i): \(i)\n" }
        yaml += "  callbacks: [langfuse]\n  drop_params: true\n"
        let result = try mapConfig(yaml)
        let settings = result.report.entries.filter { $0.path.hasPrefix("litellm_settings.") }
        #expect(settings.map(\.path) == (0..<count).map { "litellm_settings.custom_\($0)" } + ["litellm_settings.callbacks", "litellm_settings.drop_params"])
        #expect(settings.prefix(count).allSatisfy { $0.category == .skipped })
        #expect(settings[count].category == .manual)
        #expect(settings[count + 1].note == "LiteLLM request handling")
        #expect(result.report.entries.first { $0.path == "model_list[0].litellm_params.rpm" }?.category == .mapped)
    }

    /// Keys, notes and file names are escaped once per text and reused in every row: each row must still be the
    /// row of its own entry, with every `|` of the config escaped.
    @Test func tableRowsEscapeKeysNotesAndFileNames() throws {
        let s = Scratch()
        s.write("con|fig.yaml", """
            model_list:
              - model_name: "team|a/*"
                litellm_params: {model: "openai/*", "x|y": 1}
              - model_name: plain
                litellm_params: {model: openai/gpt-4o, "x|y": 2, "line\\nbreak": 3}
            litellm_settings: {"a|b": true}
            """)
        let result = try s.map("con|fig.yaml")
        let rendered = MigrationReport.render(result)
        for (i, entry) in result.report.entries.enumerated() {
            let row = "| `\(Markdown.cell(entry.path))` | \(Markdown.cell(entry.location.description)) | \(Markdown.cell(entry.note)) |\n"
            #expect(rendered.contains(row), "row \(i) missing: \(row)")
        }
        #expect(rendered.contains("| `model_list[1].litellm_params.x\\|y` | "))
        #expect(rendered.contains("| `litellm_settings.a\\|b` | "))
        #expect(rendered.contains("con\\|fig.yaml:6:20 | "))
        #expect(rendered.contains("line break"))
        #expect(rendered.contains("wildcard route \"team\\|a/*\""))
    }
}
