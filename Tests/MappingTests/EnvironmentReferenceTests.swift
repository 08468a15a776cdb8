import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("os.environ/ references")
struct EnvironmentReferenceTests {
    @Test func referencesStayReferencesInPayloadsAndAreListed() throws {
        // HOME is set in any test environment: the plan must still not resolve it.
        let result = try mapConfig("""
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o-eu
                  api_key: os.environ/HOME
                  api_base: os.environ/AZURE_API_BASE
                  api_version: os.environ/AZURE_API_VERSION
            """)
        let integration = try #require(result.objects(.integration).first)
        let body = PlanPayloads.body(of: integration)
        #expect(body["apiKey"] == "os.environ/HOME")
        #expect(body["endpointUrl"] == "os.environ/AZURE_API_BASE")
        #expect(body["config"]?["apiVersion"] == "os.environ/AZURE_API_VERSION")
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/nonexistent-home"
        for output in result.allPlanOutputs { #expect(!output.contains("\"\(home)\"")) }
        let variables = PlanPayloads.requiredVariables(for: result.desired).map(\.variable)
        #expect(Set(variables) == ["HOME", "AZURE_API_BASE", "AZURE_API_VERSION"])
        #expect(variables == variables.sorted())
        let script = ApplyScript.render(for: result.desired)
        #expect(script.contains("required_variables=(AZURE_API_BASE AZURE_API_VERSION HOME)"))
    }

    @Test func referencesInsideMappingsInsideListsAreAccepted() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, api_key: os.environ/OPENAI_KEY}
            guardrails:
              - guardrail_name: g
                litellm_params: {api_key: os.environ/GUARD_KEY, api_base: os.environ/GUARD_BASE}
            general_settings:
              master_key: os.environ/LITELLM_MASTER_KEY
            """)
        #expect(PlanPayloads.requiredVariables(for: result.desired).map(\.variable) == ["OPENAI_KEY"])
    }

    @Test func aReferenceInAPlainListIsAnError() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
            litellm_settings:
              callbacks:
                - langfuse
                - os.environ/CALLBACK
            """)
        expectLocated(error, line: 7, column: 7, mentioning: ["litellm_settings.callbacks[1]", "os.environ/CALLBACK"])
    }

    @Test func aReferenceInAFlowListInsideAModelEntryIsAnError() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, tags: [prod, os.environ/TAG]}
            """)
        expectLocated(error, line: 3, mentioning: ["model_list[0].litellm_params.tags[1]"])
    }

    @Test func aReferenceMidStringIsAnError() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  api_base: https://os.environ/HOST/v1
            """)
        expectLocated(error, line: 5, column: 17, mentioning: ["model_list[0].litellm_params.api_base", "middle"])
    }

    @Test(arguments: ["MY-KEY", "1KEY", "KEY WITH SPACE", "KEY.NAME", "ÄKEY"])
    func anInvalidVariableNameIsAnError(name: String) {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  api_key: "os.environ/\(name)"
            """)
        expectLocated(error, line: 5, column: 16, mentioning: ["not valid"])
    }

    @Test func anEmptyVariableNameIsAnError() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  api_key: os.environ/
            """)
        expectLocated(error, line: 5, column: 16)
    }

    @Test func aReferenceAsAKeyIsAnError() {
        let error = mappingError("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  os.environ/KEY: value
            """)
        expectLocated(error, line: 5, column: 7, mentioning: ["os.environ/KEY", "key"])
    }

    @Test func dollarBraceIsOnlyAWarning() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, api_key: "${OPENAI_API_KEY}"}
            """)
        let warning = try #require(result.report.warnings.first { $0.message.contains("${") })
        #expect(warning.location?.line == 3)
    }

    @Test func environmentVariablesSectionIsReturnedNotResolved() throws {
        let result = try mapConfig("""
            environment_variables:
              OPENAI_KEY: from-config
              EMPTY: null
              NUM: 3
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, api_key: os.environ/OPENAI_KEY}
            """)
        #expect(result.configEnvironment == ["OPENAI_KEY": "from-config", "NUM": "3"])
        #expect(PlanPayloads.body(of: result.objects(.integration)[0])["apiKey"] == "os.environ/OPENAI_KEY")
    }
}
