/// Which LiteLLM provider serves a model string, and what that provider becomes in Synapse.
///
/// Inference follows LiteLLM's own order: `custom_llm_provider`, then a known provider prefix (`azure/…`), then an
/// OpenAI-compatible `api_base` host, then a bare model name LiteLLM's catalogue knows. The Synapse types follow the
/// seed script's table; where the contract's integration `providerType` enum has no such value, the integration
/// gets the closest enum value the contract accepts (`ProviderMapping.integrationType`).
public enum ProviderCatalog {
    /// How a deployment's provider was determined (said in the report).
    public enum Inference: String, Sendable, Hashable {
        case customLLMProvider = "custom_llm_provider"
        case prefix = "model prefix"
        case apiBaseHost = "api_base host"
        case bareModelName = "bare model name"
    }

    /// LiteLLM's provider names (`LlmProviders` in litellm/types/utils.py of LiteLLM 1.110.2), used to recognise a
    /// `provider/` prefix.
    public static let litellmProviders: Set<String> = [
        "refuseless", "openai", "chatgpt", "openai_like", "jina_ai", "xai", "zai", "bigmodel", "custom_openai",
        "text-completion-openai", "cohere", "cohere_chat", "clarifai", "anthropic", "anthropic_text", "bytez",
        "replicate", "reducto", "aws_textract", "runwayml", "aws_polly", "transcribe", "huggingface", "together_ai",
        "openrouter", "datarobot", "vertex_ai", "vertex_ai_beta", "gemini", "abliteration", "ai21", "baseten",
        "black_forest_labs", "azure", "azure_text", "azure_ai", "sagemaker", "sagemaker_chat", "sagemaker_nova",
        "bedrock", "vllm", "nlp_cloud", "petals", "oobabooga", "ollama", "ollama_chat", "deepinfra",
        "clf_ai_gateway", "perplexity", "typesafe", "parallel_ai", "nace", "strands_decider", "laya", "bespoke",
        "empiriolabs", "eu_jev", "mistral", "milvus", "groq", "a2a", "gigachat", "nvidia_nim", "nvidia_riva",
        "soniox", "cerebras", "nadir", "ai21_chat", "volcengine", "codestral", "text-completion-codestral",
        "dashscope", "qwencloud", "qwen_ai_platform", "modelscope", "moonshot", "publicai", "v0", "morph",
        "opencode_go", "lambda_ai", "inception", "text-completion-inception", "deepseek", "sambanova", "maritalk",
        "voyage", "cloudflare", "xinference", "fireworks_ai", "friendliai", "featherless_ai", "watsonx", "scaledown",
        "watsonx_text", "triton", "predibase", "databricks", "databricks_agent", "empower", "github", "ragflow",
        "compactifai", "docker_model_runner", "custom", "litellm_proxy", "hosted_vllm", "tencent", "llamafile",
        "lm_studio", "galadriel", "nebius", "infinity", "deepgram", "elevenlabs", "novita", "aiohttp_openai",
        "langfuse", "humanloop", "topaz", "sap", "assemblyai", "azure_speech", "charity_engine", "github_copilot",
        "snowflake", "gradient_ai", "meta_llama", "nscale", "pg_vector", "s3_vectors", "valkey", "mongodb",
        "opensearch", "helicone", "hyperbolic", "recraft", "fal_ai", "stability", "heroku", "aiml", "cometapi",
        "oci", "auto_router", "vercel_ai_gateway", "edenai", "dotprompt", "manus", "wandb", "ovhcloud", "scaleway",
        "lemonade", "amazon_nova", "a2a_agent", "langgraph", "langflow", "microsoft_365_copilot", "minimax",
        "synthetic", "apertis", "nano-gpt", "poe", "chutes", "neosantara", "aiand", "parasail", "xiaomi_mimo",
        "tensormesh", "libertai", "pinstripes", "cognition", "coralbricks", "cortecs", "scx-ai", "prism",
        "openinfer", "inferenceapis", "hostinger_router", "zerogpu", "darkbloom", "meta", "sail", "reka",
        "streamlake", "wally", "litellm_agent", "cursor", "bedrock_mantle", "gdc", "kyma",
    ]

    /// The seed script's provider table plus the closest contract integration type for each.
    public static func mapping(for provider: String) -> ProviderMapping {
        switch provider {
        case "openai", "text-completion-openai", "openai_responses", "aiohttp_openai":
            return ProviderMapping(provider: provider, synapseType: "OPEN_AI", integrationType: "OPEN_AI", inSeedTable: true)
        case "azure", "azure_text":
            return ProviderMapping(provider: provider, synapseType: "AZURE_OPEN_AI", integrationType: "AZURE", inSeedTable: true)
        case "anthropic", "anthropic_text":
            return ProviderMapping(provider: provider, synapseType: "ANTHROPIC", integrationType: "ANTHROPIC", inSeedTable: true)
        case "bedrock":
            return ProviderMapping(provider: provider, synapseType: "AWS_BEDROCK", integrationType: "CUSTOM", inSeedTable: true)
        case "vertex_ai", "vertex_ai_beta":
            return ProviderMapping(provider: provider, synapseType: "VERTEX_AI", integrationType: "GOOGLE", inSeedTable: true)
        case "gemini":
            return ProviderMapping(provider: provider, synapseType: "GEMINI", integrationType: "GOOGLE", inSeedTable: true)
        case "cohere", "cohere_chat":
            return ProviderMapping(provider: provider, synapseType: "COHERE", integrationType: "COHERE", inSeedTable: true)
        case "groq":
            return ProviderMapping(provider: provider, synapseType: "GROQ", integrationType: "CUSTOM", inSeedTable: true)
        case "together_ai":
            return ProviderMapping(provider: provider, synapseType: "TOGETHER", integrationType: "CUSTOM", inSeedTable: true)
        case "replicate":
            return ProviderMapping(provider: provider, synapseType: "REPLICATE", integrationType: "CUSTOM", inSeedTable: true)
        case "mistral", "codestral", "text-completion-codestral":
            return ProviderMapping(provider: provider, synapseType: "MISTRAL", integrationType: "MISTRAL", inSeedTable: true)
        case "fireworks_ai":
            return ProviderMapping(provider: provider, synapseType: "FIREWORKS", integrationType: "CUSTOM", inSeedTable: true)
        case "perplexity":
            return ProviderMapping(provider: provider, synapseType: "PERPLEXITY", integrationType: "CUSTOM", inSeedTable: true)
        case "deepinfra":
            return ProviderMapping(provider: provider, synapseType: "DEEP_INFRA", integrationType: "CUSTOM", inSeedTable: true)
        case "xai":
            return ProviderMapping(provider: provider, synapseType: "XAI", integrationType: "CUSTOM", inSeedTable: true)
        case "vllm", "hosted_vllm":
            return ProviderMapping(provider: provider, synapseType: "CUSTOM", integrationType: "VLLM", inSeedTable: true)
        case "deepseek", "huggingface", "ollama", "ollama_chat":
            return ProviderMapping(provider: provider, synapseType: "CUSTOM", integrationType: "CUSTOM", inSeedTable: true)
        default:
            return ProviderMapping(provider: provider, synapseType: "CUSTOM", integrationType: "CUSTOM", inSeedTable: false)
        }
    }

    /// LiteLLM 1.110.2's `openai_compatible_endpoints`, in its order, with the provider each yields. A nil provider
    /// is an entry LiteLLM matches but maps to no provider (its chain has no branch for it): such a deployment fails
    /// in LiteLLM, so it does here too.
    static let openAICompatibleEndpoints: [(endpoint: String, provider: String?)] = [
        ("api.perplexity.ai", "perplexity"),
        ("api.endpoints.anyscale.com/v1", "anyscale"),
        ("api.deepinfra.com/v1/openai", "deepinfra"),
        ("api.clfaigateway.dev/v1", "clf_ai_gateway"),
        ("api.mistral.ai/v1", "mistral"),
        ("codestral.mistral.ai/v1/chat/completions", "codestral"),
        ("codestral.mistral.ai/v1/fim/completions", "text-completion-codestral"),
        ("api.groq.com/openai/v1", "groq"),
        ("https://integrate.api.nvidia.com/v1", "nvidia_nim"),
        ("https://api.getnadir.com/v1", "nadir"),
        ("api.deepseek.com/v1", "deepseek"),
        ("api.together.ai/v1", "together_ai"),
        ("api.together.xyz/v1", "together_ai"),
        ("app.empower.dev/api/v1", "empower"),
        ("https://api.friendli.ai/serverless/v1", "friendliai"),
        ("api.sambanova.ai/v1", nil),
        ("api.x.ai/v1", nil),
        ("ollama.com", "ollama"),
        ("api.galadriel.ai/v1", nil),
        ("api.llama.com/compat/v1/", nil),
        ("api.featherless.ai/v1", nil),
        ("inference.api.nscale.com/v1", nil),
        ("api.studio.nebius.ai/v1", nil),
        ("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", nil),
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", nil),
        ("https://api-inference.modelscope.cn/v1", "modelscope"),
        ("https://api.moonshot.ai/v1", nil),
        ("https://api.publicai.co/v1", "publicai"),
        ("https://api.aiand.com/v1", "aiand"),
        ("https://api.synthetic.new/openai/v1", "synthetic"),
        ("https://serverless.tensormesh.ai/v1", "tensormesh"),
        ("https://api.stima.tech/v1", "apertis"),
        ("https://nano-gpt.com/api/v1", "nano-gpt"),
        ("https://api.poe.com/v1", "poe"),
        ("https://llm.chutes.ai/v1/", "chutes"),
        ("https://api.v0.dev/v1", "v0"),
        ("https://api.morphllm.com/v1", nil),
        ("https://api.lambda.ai/v1", "lambda_ai"),
        ("https://api.inceptionlabs.ai/v1", "inception"),
        ("https://api.hyperbolic.xyz/v1", "hyperbolic"),
        ("https://ai-gateway.helicone.ai/", "helicone"),
        ("https://ai-gateway.vercel.sh/v1", "vercel_ai_gateway"),
        ("https://api.edenai.run/v3", "edenai"),
        ("https://api.inference.wandb.ai/v1", "wandb"),
        ("https://api.clarifai.com/v2/ext/openai/v1", nil),
        ("https://api.libertai.io/v1", "libertai"),
        ("https://pinstripes.io/v1", "pinstripes"),
        ("https://api.meta.ai/v1", "meta"),
        ("https://api.sailresearch.com/v1", "sail"),
        ("https://api.cognition.ai/v1", "cognition"),
        ("https://inference.coralbricks.ai/v1", "coralbricks"),
        ("https://api.cortecs.ai/v1", "cortecs"),
        ("https://api.scx.ai/v1", "scx-ai"),
        ("https://api.prisminference.com/v1", "prism"),
        ("https://api.reka.ai/v1", "reka"),
        ("https://inference.runanywhere.ai/v1", "wally"),
        ("https://gigachat.devices.sberbank.ru/api/v1", "gigachat"),
        ("https://api.openinfer.ai/v1", "openinfer"),
        ("https://vanchin.streamlake.ai/api/gateway/v1/endpoints", "streamlake")
    ]

    /// LiteLLM 1.110's match: same host (case-insensitive) and, if the endpoint has a path, the same path or a sub-path.
    static func endpoint(_ endpoint: String, matches apiBase: String) -> Bool {
        // As Python's urlparse: the host ends at the first '/', '?' or '#'; the path ends at '?' or '#'.
        func split(_ url: String) -> (host: String, path: String) {
            var rest = Substring(url)
            if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
            let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            var host = rest[..<hostEnd]
            if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
            if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
            let afterHost = rest[hostEnd...]
            var path = String(afterHost[..<(afterHost.firstIndex { $0 == "?" || $0 == "#" } ?? afterHost.endIndex)])
            while path.hasSuffix("/") { path.removeLast() }
            return (host.lowercased(), path)
        }
        let e = split(endpoint), a = split(apiBase)
        guard !e.host.isEmpty, e.host == a.host else { return false }
        return e.path.isEmpty || a.path == e.path || a.path.hasPrefix(e.path + "/")
    }

    /// The provider of `model` as LiteLLM infers it, with the model name the provider is called with.
    public static func infer(
        model: String, customLLMProvider: String?, apiBase: String?
    ) -> (provider: String, underlyingModel: String, how: Inference)? {
        if let forced = customLLMProvider, !forced.isEmpty {
            let stripped = model.hasPrefix(forced + "/") ? String(model.dropFirst(forced.count + 1)) : model
            return (forced, stripped, .customLLMProvider)
        }
        if let slash = model.firstIndex(of: "/") {
            let prefix = String(model[..<slash])
            if litellmProviders.contains(prefix) {
                return (prefix, String(model[model.index(after: slash)...]), .prefix)
            }
        }
        if let apiBase, EnvironmentReference.variableName(in: apiBase) == nil,
            let matched = openAICompatibleEndpoints.first(where: { endpoint($0.endpoint, matches: apiBase) })
        {
            return matched.provider.map { ($0, model, .apiBaseHost) }
        }
        if let provider = providerOfBareModel(model) {
            return (provider, model, .bareModelName)
        }
        return nil
    }

    /// LiteLLM's catalogue lookup for names without a prefix, approximated by the name prefixes of the models its
    /// bundled cost map lists under each provider (the first matching rule wins, in LiteLLM's order).
    static func providerOfBareModel(_ name: String) -> String? {
        func starts(_ prefixes: [String]) -> Bool { prefixes.contains { name.hasPrefix($0) } }
        if name.contains("ft:gpt-3.5-turbo") || name.contains("ft:gpt-4") || name == "*" { return "openai" }
        if starts(["gpt-3.5-turbo-instruct", "babbage-002", "davinci-002", "ft:davinci", "ft:babbage"]) { return "text-completion-openai" }
        if starts(["gpt-", "o1", "o3", "o4", "chatgpt-", "codex-", "omni-", "text-embedding-", "tts-", "whisper-", "ft:",
            "dall-e-", "computer-use-", "sora-"])
        {
            return "openai"
        }
        if name == "claude-2" || name == "claude-instant-1" { return "anthropic_text" }
        if name.hasPrefix("claude-") { return "anthropic" }
        if starts(["command-r", "command-a"]) { return "cohere_chat" }
        if name == "command" || starts(["command-", "embed-", "rerank-"]) { return "cohere" }
        if isReplicateVersion(name) { return "replicate" }
        if starts(["gemini-", "text-bison", "chat-bison", "code-", "codechat-", "textembedding-", "imagen-", "veo-",
            "medlm-", "multimodalembedding"])
        {
            return "vertex_ai"
        }
        if starts(["jamba-", "j2-"]) { return "ai21_chat" }
        if name.hasPrefix("luminous-") { return "aleph_alpha" }
        if name == "dolphin" || name == "chatdolphin" { return "nlp_cloud" }
        if starts(["anthropic.", "amazon.", "meta.", "cohere.", "mistral.", "ai21.", "stability.", "twelvelabs.",
            "deepseek.", "qwen.", "openai.", "us.", "eu.", "apac.", "jp."])
        {
            return "bedrock"
        }
        return nil
    }

    /// Replicate's `owner/model:<64-character version>` form.
    private static func isReplicateVersion(_ name: String) -> Bool {
        guard let colon = name.firstIndex(of: ":") else { return false }
        return name.count > 64 && name[name.index(after: colon)...].count == 64
    }
}

/// A LiteLLM provider's Synapse types.
public struct ProviderMapping: Sendable, Hashable {
    /// LiteLLM's provider name (`azure`).
    public let provider: String
    /// Sent as `providerType` of providers and models (a free string in the contract): the seed's meaning.
    public let synapseType: String
    /// Sent as `providerType` of the integration: a value of the contract's enum.
    public let integrationType: String
    /// Whether the seed script's table names this provider; if not, the report asks for a manual check.
    public let inSeedTable: Bool
}
