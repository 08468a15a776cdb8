import Foundation
import SynapseContract
import Testing

@testable import Mapping

/// The request bodies a plan sends, each validated against its kind's create schema (links filled with a UUID).
/// Returns the problems found (empty when every body conforms and carries only declared fields).
func payloadProblems(_ desired: DesiredState) -> [String] {
    var problems: [String] = []
    let uuid = "123e4567-e89b-42d3-a456-426614174000"
    // What the plan writes: payloads/<kind>.json, parsed back.
    var written: [ObjectRef: JSONValue] = [:]
    for kind in ResourceKind.applyOrder {
        var buffer = TextBuffer()
        PlanPayloads.write(kind, of: desired, to: &buffer)
        guard let entries = (try? JSONValue.parse(buffer.bytes))?.arrayValue else {
            problems.append("payloads for \(kind.rawValue) are not a JSON array")
            continue
        }
        for entry in entries {
            if let key = entry["key"]?.stringValue { written[ObjectRef(kind: kind, key: key)] = entry["body"] }
        }
    }
    for object in desired.objects {
        var body = PlanPayloads.body(of: object)
        for (field, _) in object.links { body[field] = .string(uuid) }
        let schemaName = object.kind.createSchema
        for violation in ContractSchemas.validate(.object(body), against: schemaName) {
            problems.append("\(object.ref): \(violation)")
        }
        problems += undeclaredFields(.object(body), schema: ContractSchemas.schema(named: schemaName), path: "\(object.ref)", kind: object.kind)
        // The payload file carries the body validated here.
        if written[object.ref] != .object(PlanPayloads.body(of: object)) {
            problems.append("\(object.ref): the payload file's body differs from body(of:) (or the object is missing)")
        }
    }
    return problems
}

/// Fields of `value` that its schema does not declare, recursively into declared object properties and array items.
/// Routing rule objects are free (the contract declares `rules` items as plain objects).
func undeclaredFields(_ value: JSONValue, schema: JSONValue?, path: String, kind: ResourceKind) -> [String] {
    guard let schema = resolvedSchema(schema) else { return [] }
    var problems: [String] = []
    switch value {
    case .object(let fields):
        guard let properties = schema["properties"]?.objectValue else { return [] }  // a free object
        for (key, child) in fields {
            guard let property = properties[key] else {
                problems.append("\(path).\(key) is not declared by the contract")
                continue
            }
            problems += undeclaredFields(child, schema: property, path: "\(path).\(key)", kind: kind)
        }
    case .array(let items):
        for (i, item) in items.enumerated() {
            problems += undeclaredFields(item, schema: schema["items"], path: "\(path)[\(i)]", kind: kind)
        }
    default:
        break
    }
    return problems
}

/// The contract's enum for integration `providerType`.
let integrationProviderTypes: Set<String> = {
    let schema = resolvedSchema(ContractSchemas.schema(named: ResourceKind.integration.createSchema))
    let property = resolvedSchema(schema?["properties"]?["providerType"])
    return Set(property?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [])
}()

@Suite("payloads follow the contract")
struct PayloadValidityTests {
    @Test func theContractEnumIsKnown() {
        #expect(integrationProviderTypes == ["OPEN_AI", "ANTHROPIC", "GOOGLE", "COHERE", "AZURE", "MISTRAL", "VLLM", "CUSTOM"])
        for kind in ResourceKind.allCases { #expect(ContractSchemas.declaredFields(of: kind.createSchema) != nil, "\(kind)") }
    }

    @Test func everyLiteLLMProviderMapsToAnEnumIntegrationType() {
        for provider in ProviderCatalog.litellmProviders.sorted() + ["openai_responses", "unknown_thing"] {
            let mapping = ProviderCatalog.mapping(for: provider)
            #expect(integrationProviderTypes.contains(mapping.integrationType), "\(provider) → \(mapping.integrationType)")
            #expect(!mapping.synapseType.isEmpty)
        }
    }

    @Test(arguments: exampleConfigs)
    func examplePayloadsValidate(path: String) throws {
        let result = try MappingPipeline.map(configPath: path, source: LocalFileSource())
        #expect(!result.desired.objects.isEmpty)
        let problems = payloadProblems(result.desired)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        for integration in result.objects(.integration) {
            #expect(integrationProviderTypes.contains(integration.fields["providerType"]?.stringValue ?? ""))
        }
        // Every payload file is valid JSON: a list of {key, method, path, body, links, source}.
        for file in PlanPayloads.files(for: result.desired) {
            let parsed = try JSONValue.parse(file.contents)
            for entry in parsed.arrayValue ?? [] {
                #expect(entry["body"]?.objectValue != nil && entry["method"]?.stringValue != nil && entry["path"]?.stringValue != nil)
            }
        }
    }

    @Test("each entry's source lists every place it comes from, as file:line:column, whatever the file name holds")
    func sourcesAreEscapedLocations() throws {
        let s = Scratch()
        let path = s.write("we\"ird\\ földer/con\"fig.yaml", """
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
            """)
        let result = try MappingPipeline.map(configPath: path, source: LocalFileSource())
        let files = PlanPayloads.files(for: result.desired).filter { $0.name.hasSuffix("/models.json") || $0.name.hasSuffix("/providers.json") }
        #expect(files.count == 2)
        for file in files {
            let entries = try #require(try JSONValue.parse(file.contents).arrayValue)
            #expect(entries.count == 1)
            let sources = entries.first?["source"]?.arrayValue?.compactMap(\.stringValue)
            #expect(sources == ["\(path):2:5", "\(path):4:5"], "\(file.name): \(file.contents)")
        }
    }

    @Test func everyFeatureTogetherValidates() throws {
        let result = try mapConfig("""
            credential_list:
              - credential_name: c1
                credential_values: {api_key: os.environ/C1, api_base: "https://c1.openai.azure.com", api_version: "2024-10-21"}
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o
                  litellm_credential_name: c1
                  rpm: 10
                  tpm: 1000
                  tags: [prod, eu]
                  max_budget: 100
                  budget_duration: 30d
                  input_cost_per_token: 0.0000025
                  output_cost_per_token: 0.00001
                model_info:
                  mode: chat
                  base_model: azure/gpt-4o
                  max_tokens: 4096
                  max_input_tokens: 128000
                  max_output_tokens: 16384
                  supports_vision: true
                  supports_function_calling: "true"
                  supports_response_schema: false
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_key: sk-literal-abc, weight: 2}
              - model_name: embed
                litellm_params: {model: bedrock/amazon.titan-embed-text-v2:0, aws_region_name: us-east-1, aws_access_key_id: os.environ/AWS_ID, aws_secret_access_key: os.environ/AWS_SECRET}
                model_info: {mode: embedding}
              - model_name: img
                litellm_params: {model: vertex_ai/imagen-3, vertex_project: p, vertex_location: us-central1, vertex_credentials: {type: service_account, private_key: k}}
                model_info: {mode: image_generation}
              - model_name: tts
                litellm_params: {model: openai/tts-1}
                model_info: {mode: audio_speech}
              - model_name: rr
                litellm_params: {model: cohere/rerank-v3.5}
                model_info: {mode: rerank}
              - model_name: local
                litellm_params: {model: ollama/llama3, api_base: "http://localhost:11434"}
            router_settings:
              routing_strategy: cost-based-routing
              model_group_alias: {gpt4: gpt-4o}
              provider_budget_config:
                openai: {budget_limit: 50, time_period: 1d}
            litellm_settings:
              default_team_settings:
                - team_id: ds
                  max_budget: 10
                  budget_duration: 7d
            litellm_synapse:
              tenant: t1
              routing_strategy: quality_first
              teams:
                - {name: platform, max_budget: 1000, budget_duration: monthly}
                - {name: search, parent: platform, description: Search}
              virtual_keys:
                - name: k1
                  models: [gpt-4o, gpt4]
                  rpm_limit: 10
                  tpm_limit: 1000
                  rpd_limit: 100
                  allowed_ips: [10.0.0.0/8]
                  expires: "2027-01-01T00:00:00Z"
            """)
        let kinds = Set(result.desired.objects.map(\.kind))
        #expect(kinds == Set(ResourceKind.allCases))
        let problems = payloadProblems(result.desired)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let model = try #require(result.object(.model, "gpt-4o|AZURE_OPEN_AI"))
        #expect(model.fields["pricing"]?["inputCostPer1kTokens"] == 0.0025)
        #expect(model.fields["capabilities"]?["tools"] == true)
        #expect(result.object(.model, "rerank-v3.5|COHERE")?.fields["modelType"] == nil)
        #expect(result.entry("model_list[5].model_info.mode")?.category == .manual)
        #expect(result.object(.rateLimitTier, "t1")?.fields["tier"] == "starter")
    }

    @Test func corpusPayloadsValidate() throws {
        var mapped = 0
        var allProblems: [String] = []
        for (file, accepted) in corpusIndex where accepted && file.hasSuffix(".yaml") {
            guard let result = try? MappingPipeline.map(configPath: corpusFolder + "/" + file, source: LocalFileSource()) else { continue }
            mapped += 1
            allProblems += payloadProblems(result.desired).map { "\(file): \($0)" }
            for integration in result.objects(.integration) where !integrationProviderTypes.contains(integration.fields["providerType"]?.stringValue ?? "") {
                allProblems.append("\(file): integration providerType \(integration.fields["providerType"] ?? .null)")
            }
        }
        print("corpus payload validity: \(mapped) configs mapped, \(allProblems.count) problems")
        #expect(mapped > 300)
        #expect(allProblems.isEmpty, "\(allProblems.prefix(40).joined(separator: "\n"))")
    }
}
