import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("bad input is a located ConfigError with a hint")
struct ConfigErrorTests {
    @Test(arguments: [
        ("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a\n", 4),
        ("model_list:\n  - model_name: a\n   litellm_params:\n", 3),
        ("model_list:\n\t- model_name: a\n", 2),
        ("model_list:\n  - model_name: \"unterminated\n", 3),  // libyaml: at the end of the stream, naming line 2 in the message
        ("a: b: c\n", 1),
        ("model_list: *undefined\n", 1),
    ])
    func yamlSyntaxErrors(text: String, line: Int) {
        let error = mappingError(text)
        #expect(error?.location != nil, "\(String(describing: error))")
        #expect(error?.location?.line == line, "\(String(describing: error))")
        #expect(error?.location?.file.hasSuffix("config.yaml") == true)
        #expect(error?.hint.isEmpty == false)
    }

    @Test func rpmAsNonNumericText() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  rpm: "abc"
            """)
        expectLocated(error, line: 5, column: 12, mentioning: ["rpm", "abc"])
    }

    @Test func numericTextRpmIsAccepted() throws {
        let result = try mapConfig("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, rpm: \"100\"}\n")
        #expect(result.objects(.provider).first?.fields["rateLimits"]?["rpm"] == 100)
    }

    @Test func missingModel() {
        expectLocated(mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  api_key: os.environ/X
            """), line: 4, mentioning: ["litellm_params.model"])
        expectLocated(mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  model:
            """), line: 4, mentioning: ["model"])
        expectLocated(mappingError("""
            model_list:
              - model_name: a
            """), line: 2, mentioning: ["litellm_params"])
        expectLocated(mappingError("""
            model_list:
              - litellm_params: {model: openai/a}
            """), line: 2, mentioning: ["model_name"])
    }

    @Test func unknownRoutingStrategy() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
            router_settings:
              routing_strategy: round-robin
            """)
        expectLocated(error, line: 5, column: 21, mentioning: ["round-robin", "simple-shuffle"])
    }

    @Test func unknownRoutingStrategyInLitellmSettings() {
        let error = mappingError("""
            litellm_settings:
              routing_strategy: fastest
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
            """)
        expectLocated(error, line: 2, mentioning: ["fastest"])
    }

    @Test func fallbacksAsAPlainList() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
            router_settings:
              fallbacks: ["gpt-4o", "gpt-4o-mini"]
            """)
        expectLocated(error, line: 5, mentioning: ["fallbacks", "gpt-4o"])
        let context = mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
            litellm_settings:
              context_window_fallbacks:
                - gpt-4o
            """)
        expectLocated(context, line: 6, column: 7, mentioning: ["context_window_fallbacks"])
    }

    @Test func validFallbacksAreManualNotErrors() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
            router_settings:
              fallbacks: [{a: [b, c]}, {"*": [a]}]
              default_fallbacks: [a]
            """)
        #expect(result.entry("router_settings.fallbacks")?.category == .manual)
        #expect(result.entry("router_settings.default_fallbacks")?.category == .manual)
    }

    @Test func missingAndCyclicIncludes() {
        expectLocated(mappingError("include:\n  - nowhere.yaml\nmodel_list: []\n"), line: 2, column: 5, mentioning: ["nowhere.yaml"])
        let s = Scratch()
        s.write("config.yaml", "model_list: []\ninclude:\n  - config.yaml\n")
        do {
            _ = try s.map()
            Issue.record("a self-include of the main file must be an error")
        } catch {
            expectLocated(error, line: 3, column: 5, mentioning: ["cycle"])
        }
    }

    @Test func misplacedEnvironmentReferences() {
        expectLocated(mappingError("litellm_settings:\n  success_callback: [os.environ/X]\n"), line: 2, mentioning: ["os.environ/"])
        expectLocated(mappingError("general_settings:\n  master_key: prefix-os.environ/X\n"), line: 2, mentioning: ["os.environ/"])
        expectLocated(mappingError("general_settings:\n  master_key: os.environ/not-valid\n"), line: 2, mentioning: ["os.environ/"])
        expectLocated(mappingError("general_settings:\n  os.environ/X: 1\n"), line: 2, column: 3, mentioning: ["os.environ/"])
    }

    @Test func unknownKeysInTheExtensionSection() {
        expectLocated(mappingError("""
            model_list: []
            litellm_synapse:
              tenant: acme
              tennant: typo
            """), line: 4, column: 3, mentioning: ["tennant"])
        expectLocated(mappingError("""
            litellm_synapse:
              teams:
                - name: a
                  budget: 10
            """), line: 4, column: 7, mentioning: ["budget"])
        expectLocated(mappingError("""
            litellm_synapse:
              virtual_keys:
                - name: k
                  model: [a]
            """), line: 4, column: 7, mentioning: ["model"])
        expectLocated(mappingError("litellm_synapse:\n  rate_limit_tier: gold\n"), line: 2, mentioning: ["gold"])
        expectLocated(mappingError("litellm_synapse:\n  routing_strategy: fastest\n"), line: 2, mentioning: ["fastest"])
        expectLocated(mappingError("litellm_synapse: [a]\n"), line: 1, mentioning: ["litellm_synapse"])
    }

    @Test func otherTypeErrors() {
        expectLocated(mappingError("model_list: {a: 1}\n"), line: 1, mentioning: ["model_list"])
        expectLocated(mappingError("model_list:\n  - just-a-string\n"), line: 2, mentioning: ["model_list[0]"])
        expectLocated(mappingError("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, tpm: 1.5}\n"), line: 3, mentioning: ["tpm"])
        expectLocated(mappingError("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, order: x}\n"), line: 3, mentioning: ["order"])
        expectLocated(mappingError("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, rpm: -5}\n"), line: 3, mentioning: ["rpm"])
        expectLocated(mappingError("model_list:\n  - model_name: a\n    litellm_params: {model: [openai/a]}\n"), line: 3, mentioning: ["model"])
        expectLocated(mappingError("router_settings:\n  model_group_alias: [a]\n"), line: 2, mentioning: ["model_group_alias"])
        expectLocated(mappingError("router_settings:\n  model_group_alias:\n    a: {hidden: true}\n"), line: 3, mentioning: ["a"])
        expectLocated(mappingError("credential_list:\n  - credential_values: {api_key: x}\n"), line: 2, mentioning: ["credential_name"])
        expectLocated(mappingError("- a\n- b\n"), line: 1, mentioning: ["mapping"])
        expectLocated(mappingError("# only a comment\n"), line: 1, mentioning: ["empty"])
    }

    @Test func unknownProvidersAndUnmappedSettingsAreNotErrors() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: not-a-provider/thing}
              - model_name: b
                litellm_params: {model: some-bare-name}
              - model_name: c
                litellm_params: {model: openai/c, frobnicate: 3, extra_body: {x: 1}}
                model_info: {whatever: true}
            litellm_settings: {unheard_of: 1, callbacks: [custom_callbacks.proxy_handler_instance]}
            general_settings: {some_flag: true}
            router_settings: {enable_pre_call_checks: true, new_router_knob: 3}
            unknown_top_level: {a: 1}
            mcp_servers: {s: {url: "http://x"}}
            """)
        #expect(result.objects(.model).count == 1)
        #expect(result.report.warnings.count >= 2)
    }

    @Test func missingMainFileIsAnError() {
        do {
            _ = try MappingPipeline.map(configPath: "/nonexistent/dir/config.yaml", source: LocalFileSource())
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("/nonexistent/dir/config.yaml"))
            #expect(!error.hint.isEmpty)
        }
    }
}
