import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("credentials, providers, wildcards, aliases, order")
struct ProviderTests {
    @Test func credentialListValuesFillTheDeployment() throws {
        let result = try mapConfig("""
            credential_list:
              - credential_name: azure-prod
                credential_values:
                  api_key: os.environ/AZURE_PROD_KEY
                  api_base: https://prod.openai.azure.com
                  api_version: "2024-10-21"
                credential_info: {description: prod}
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o-prod
                  litellm_credential_name: azure-prod
              - model_name: gpt-4o-mini
                litellm_params:
                  model: azure/gpt-4o-mini
                  litellm_credential_name: azure-prod
                  api_version: "2025-01-01"
            """)
        let integrations = result.objects(.integration)
        // The deployment's own api_version wins over the credential's (LiteLLM: {**credential_values, **params}).
        #expect(integrations.count == 1)
        let shared = try #require(result.object(.integration, "azure-azure-prod"))
        let body = PlanPayloads.body(of: shared)
        #expect(body["apiKey"] == "os.environ/AZURE_PROD_KEY")
        #expect(body["endpointUrl"] == "https://prod.openai.azure.com")
        #expect(body["providerType"] == "AZURE")
        let config = try LiteLLMConfig(try {
            let s = Scratch()
            s.write("config.yaml", """
                credential_list:
                  - credential_name: c
                    credential_values: {api_key: os.environ/A, api_version: "1"}
                model_list:
                  - model_name: m
                    litellm_params: {model: azure/m, litellm_credential_name: c, api_version: "2"}
                """)
            return try s.load()
        }())
        #expect(config.deployments[0].params["api_version"]?.scalarText == "2")
        #expect(config.deployments[0].params["api_key"]?.scalarText == "os.environ/A")
        #expect(result.entry("credential_list[0].credential_values.api_key")?.category == .mapped)
        #expect(result.entry("credential_list[0].credential_info")?.category == .skipped)
    }

    @Test func anUnknownCredentialNameIsAnError() {
        let error = mappingError("""
            credential_list:
              - credential_name: known
                credential_values: {api_key: os.environ/A}
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/m
                  litellm_credential_name: unknown-cred
            """)
        expectLocated(error, line: 8, column: 32, mentioning: ["unknown-cred", "known"])
    }

    @Test func wildcardsCreateIntegrationAndProviderButNoModel() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: "anthropic/*"
                litellm_params:
                  model: "anthropic/*"
                  api_key: os.environ/ANTHROPIC_API_KEY
              - model_name: "*"
                litellm_params:
                  model: "*"
                  api_key: os.environ/OPENAI_API_KEY
            """)
        #expect(result.objects(.model).isEmpty)
        #expect(Set(result.objects(.integration).map { $0.fields["providerType"]?.stringValue }) == ["ANTHROPIC", "OPEN_AI"])
        #expect(result.objects(.provider).count == 2)
        #expect(result.rules.isEmpty)
        for i in 0..<2 {
            let entry = try #require(result.entry("model_list[\(i)].model_name"))
            #expect(entry.category == .manual)
            #expect(entry.note.contains("wildcard"))
        }
    }

    @Test func customLLMProviderForcesTheProvider() throws {
        let config = try loadConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: meta-llama/Llama-3-70b, custom_llm_provider: together_ai}
              - model_name: b
                litellm_params: {model: groq/llama3-8b, custom_llm_provider: groq}
              - model_name: c
                litellm_params: {model: gpt-4o, custom_llm_provider: azure, api_base: "https://api.groq.com/openai/v1"}
            """)
        #expect(config.deployments.map(\.provider) == ["together_ai", "groq", "azure"])
        #expect(config.deployments.map(\.underlyingModel) == ["meta-llama/Llama-3-70b", "llama3-8b", "gpt-4o"])
        #expect(config.deployments.allSatisfy { $0.inference == .customLLMProvider })
    }

    @Test(arguments: [
        ("openai/gpt-4o", "openai", "gpt-4o"), ("azure/gpt-4o-eu", "azure", "gpt-4o-eu"),
        ("anthropic/claude-3-5-sonnet-20241022", "anthropic", "claude-3-5-sonnet-20241022"),
        ("bedrock/anthropic.claude-3-sonnet-20240229-v1:0", "bedrock", "anthropic.claude-3-sonnet-20240229-v1:0"),
        ("vertex_ai/gemini-1.5-pro", "vertex_ai", "gemini-1.5-pro"), ("gemini/gemini-2.0-flash", "gemini", "gemini-2.0-flash"),
        ("openrouter/anthropic/claude-3-opus", "openrouter", "anthropic/claude-3-opus"),
        ("hosted_vllm/meta-llama/Llama-3-8B", "hosted_vllm", "meta-llama/Llama-3-8B"),
        ("text-completion-openai/gpt-3.5-turbo-instruct", "text-completion-openai", "gpt-3.5-turbo-instruct"),
        ("ollama/llama3", "ollama", "llama3"), ("groq/llama3-70b-8192", "groq", "llama3-70b-8192"),
    ])
    func providerPrefixes(model: String, provider: String, underlying: String) throws {
        let inferred = try #require(ProviderCatalog.infer(model: model, customLLMProvider: nil, apiBase: nil))
        #expect(inferred.provider == provider)
        #expect(inferred.underlyingModel == underlying)
        #expect(inferred.how == .prefix)
    }

    @Test(arguments: [
        ("https://api.groq.com/openai/v1", "groq"), ("https://api.groq.com/openai/v1/", "groq"),
        ("https://API.GROQ.COM/openai/v1", "groq"), ("https://api.groq.com:443/openai/v1/chat", "groq"),
        ("api.groq.com/openai/v1", "groq"), ("https://api.groq.com/openai/v1?x=1", "groq"),
        ("https://api.perplexity.ai", "perplexity"), ("https://api.perplexity.ai/", "perplexity"),
        ("https://api.perplexity.ai?key=1", "perplexity"), ("https://api.perplexity.ai#frag", "perplexity"),
        ("https://user@api.perplexity.ai/chat", "perplexity"),
        ("https://api.deepseek.com/v1", "deepseek"), ("https://api.together.xyz/v1", "together_ai"),
        ("https://api.mistral.ai/v1", "mistral"), ("https://api.deepinfra.com/v1/openai", "deepinfra"),
        ("https://integrate.api.nvidia.com/v1", "nvidia_nim"),
    ])
    func apiBaseHostsMatchLikeLiteLLM110(apiBase: String, provider: String) throws {
        let inferred = try #require(ProviderCatalog.infer(model: "some-model", customLLMProvider: nil, apiBase: apiBase))
        #expect(inferred.provider == provider)
        #expect(inferred.how == .apiBaseHost)
        #expect(inferred.underlyingModel == "some-model")
    }

    @Test(arguments: [
        "https://attacker.com/api.groq.com/openai/v1", "https://api.groq.com.attacker.com/openai/v1",
        "https://api.groq.com/openai/v10", "https://api.groq.com/other/v1", "https://api.groq.com",
        "https://xapi.perplexity.ai", "http://localhost:8000/v1", "os.environ/GROQ_API_BASE",
    ])
    func apiBasesThatAreNotKnownHostsDoNotMatch(apiBase: String) {
        #expect(ProviderCatalog.infer(model: "some-model", customLLMProvider: nil, apiBase: apiBase) == nil)
    }

    @Test func aMatchedEndpointWithoutAProviderDropsTheDeployment() {
        // LiteLLM 1.110 matches api.x.ai/v1 but has no branch for it: no provider, even for a known bare name.
        #expect(ProviderCatalog.infer(model: "gpt-4o", customLLMProvider: nil, apiBase: "https://api.x.ai/v1") == nil)
        // An unrelated api_base leaves the bare-name rules in charge.
        #expect(ProviderCatalog.infer(model: "gpt-4o", customLLMProvider: nil, apiBase: "https://proxy.internal/v1")?.provider == "openai")
    }

    @Test(arguments: [
        ("gpt-4o", "openai"), ("gpt-4o-mini", "openai"), ("o1", "openai"), ("o3-mini", "openai"),
        ("ft:gpt-4o-2024-08-06:org::abc", "openai"), ("text-embedding-3-small", "openai"), ("*", "openai"),
        ("dall-e-3", "openai"), ("gpt-3.5-turbo-instruct", "text-completion-openai"),
        ("claude-3-5-sonnet-20241022", "anthropic"), ("claude-opus-4-1", "anthropic"), ("claude-2", "anthropic_text"),
        ("gemini-1.5-pro", "vertex_ai"), ("gemini-2.0-flash-001", "vertex_ai"),
        ("anthropic.claude-3-sonnet-20240229-v1:0", "bedrock"), ("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "bedrock"),
        ("amazon.titan-text-express-v1", "bedrock"), ("command-r-plus", "cohere_chat"), ("command", "cohere"),
    ])
    func bareModelNames(model: String, provider: String) throws {
        let inferred = try #require(ProviderCatalog.infer(model: model, customLLMProvider: nil, apiBase: nil))
        #expect(inferred.provider == provider)
        #expect(inferred.how == .bareModelName)
        #expect(inferred.underlyingModel == model)
    }

    @Test func anUnknownBareNameIsManualWithAWarningAndNotMapped() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: mystery
                litellm_params:
                  model: my-finetune-v2
                  api_key: os.environ/MYSTERY_KEY
              - model_name: known
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
            """)
        #expect(result.objects(.model).map(\.key) == ["gpt-4o|OPEN_AI"])
        #expect(result.objects(.integration).count == 1)
        #expect(result.rules(for: "mystery").isEmpty)
        let entry = try #require(result.entry("model_list[0].model_name"))
        #expect(entry.category == .manual)
        #expect(result.entry("model_list[0].litellm_params")?.category == .manual, "the whole deployment is Manual")
        let warning = try #require(result.report.warnings.first { $0.message.contains("my-finetune-v2") })
        #expect(warning.location?.line == 4)
        #expect(!PlanPayloads.requiredVariables(for: result.desired).map(\.variable).contains("MYSTERY_KEY"))
    }

    @Test func anUnknownProviderIsCustomNotAnError() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: nebius/llama, api_key: os.environ/NEBIUS}
              - model_name: b
                litellm_params: {model: x, custom_llm_provider: my_own_provider}
            """)
        #expect(result.objects(.integration).allSatisfy { $0.fields["providerType"] == "CUSTOM" })
        #expect(result.objects(.model).count == 2)
        #expect(result.entry("model_list[0].litellm_params.model")?.category == .manual)
        #expect(result.entry("model_list[0].litellm_params.model")?.note.contains("nebius") == true)
    }

    @Test func modelGroupAliasBothForms() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o}
              - model_name: fast
                litellm_params: {model: openai/gpt-4o-mini, rpm: 30}
              - model_name: fast
                litellm_params: {model: azure/gpt-4o-mini-eu, rpm: 10}
            router_settings:
              model_group_alias:
                gpt-4: gpt-4o
                cheap: {model: fast, hidden: true}
                broken: nothing-serves-this
            """)
        let simple = result.rules(for: "gpt-4")
        #expect(simple.count == 1)
        #expect(simple.first?["routeTo"] == "gpt-4o")
        #expect(simple.first?["priority"] == 90)
        let split = result.rules(for: "cheap")
        #expect(split.map { $0["routeTo"]?.stringValue } == ["gpt-4o-mini", "gpt-4o-mini-eu"])
        #expect(split.map { $0["weight"]?.intValue } == [75, 25])
        #expect(split.allSatisfy { $0["experimentId"] == "litellm-split:cheap" })
        #expect(result.rules(for: "fast").allSatisfy { $0["experimentId"] == "litellm-split:fast" && $0["priority"] == 100 })
        #expect(result.rules(for: "gpt-4o").isEmpty, "the public name is the model itself: nothing to route")
        #expect(result.report.warnings.contains { $0.message.contains("broken") })
        #expect(result.entry("router_settings.model_group_alias")?.category == .mapped)
    }

    @Test func modelGroupAliasInLitellmSettingsIsReadToo() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o}
            litellm_settings:
              model_group_alias: {gpt4: gpt-4o}
            """)
        #expect(result.rules(for: "gpt4").first?["routeTo"] == "gpt-4o")
    }

    @Test func orderKeepsOnlyTheLowestTierAndReportsFailover() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: chat
                litellm_params: {model: openai/gpt-4o, order: 2, rpm: 900}
              - model_name: chat
                litellm_params: {model: azure/gpt-4o-eu, order: 1, rpm: 100}
              - model_name: chat
                litellm_params: {model: anthropic/claude-3-5-sonnet-20241022, rpm: 100}
              - model_name: chat
                litellm_params: {model: azure/gpt-4o-us, rpm: 300}
                model_info: {order: 1}
            """)
        let rules = result.rules(for: "chat")
        #expect(rules.map { $0["routeTo"]?.stringValue } == ["gpt-4o-eu", "gpt-4o-us"])
        #expect(rules.map { $0["weight"]?.intValue } == [25, 75])
        // Every failover deployment is named in the report as Manual, wherever its order is (or is not) written.
        #expect(result.entry("model_list[0].litellm_params.order")?.category == .manual)
        let unordered = result.report.entries.filter { $0.path.hasPrefix("model_list[2].") && $0.category == .manual && $0.note.contains("failover") }
        #expect(unordered.count == 1, "the deployment without order is failover too")
        #expect(result.entry("model_list[3].model_info.order")?.category == .mapped)
        // All four models are still registered.
        #expect(result.objects(.model).count == 4)
    }

    /// LiteLLMConfig of a one-file config.
    private func loadConfig(_ yaml: String) throws -> LiteLLMConfig {
        let s = Scratch()
        s.write("config.yaml", yaml)
        return try LiteLLMConfig(try s.load())
    }
}
