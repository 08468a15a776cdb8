import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("literal secrets never leak")
struct SecretTests {
    static let secret = "sk-LITERAL-Secret-9f8e7d6c5b4a"
    static let awsSecret = "AWSSECRETliteral0123456789abcdefXYZ"
    static let config = """
        credential_list:
          - credential_name: shared
            credential_values: {api_key: "\(secret)-cred", api_base: "https://shared.example.com/v1"}
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_key: \(secret)
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_key: "\(secret)"
          - model_name: claude
            litellm_params: {model: bedrock/anthropic.claude-3-haiku-20240307-v1:0, aws_access_key_id: AKIAEXAMPLE, aws_secret_access_key: \(awsSecret), aws_region_name: us-east-1}
          - model_name: shared-model
            litellm_params: {model: openai/gpt-4.1, litellm_credential_name: shared}
          - model_name: vertex
            litellm_params:
              model: vertex_ai/gemini-1.5-pro
              vertex_credentials: {type: service_account, private_key: "-----BEGIN PRIVATE KEY-----\(secret)vertex"}
        general_settings:
          master_key: \(secret)-master
          database_url: "postgres://user:\(secret)-db@host/db"
        router_settings:
          redis_password: \(secret)-redis
        """

    static let literals = [secret, awsSecret, secret + "-cred", secret + "-master", secret + "-db", secret + "-redis", secret + "vertex"]

    @Test func noOutputContainsALiteralSecret() throws {
        let s = Scratch()
        s.write("config.yaml", Self.config)
        let result = try s.map()
        var outputs = result.allPlanOutputs
        outputs.append(ConfigInspector.json(try s.load()).prettyPrinted())
        outputs += result.desired.objects.map { "\($0)" }
        outputs += result.report.entries.map { "\($0)" }
        outputs.append("\(result.desired.environmentReferences)")
        for output in outputs {
            for literal in Self.literals {
                #expect(!output.contains(literal), "a literal secret appears in an output:\n\(output.prefix(300))")
            }
            #expect(!output.contains("LITERAL-Secret"))
        }
    }

    /// The mapping finds most references while it finishes the objects; they must be the ones a state made from
    /// the same objects finds in one pass, in the same order.
    @Test func referencesFoundWhileMappingEqualThoseFoundAfterwards() throws {
        var checked = 0
        for path in exampleConfigs {
            let desired = try MappingPipeline.map(configPath: path, source: LocalFileSource()).desired
            let remade = DesiredState(objects: desired.objects.reversed(), tenant: desired.tenant)
            #expect(remade.objects == desired.objects)
            #expect(remade.environmentReferences == desired.environmentReferences, "\(path)")
            checked += desired.environmentReferences.count
        }
        #expect(checked > 0)
    }

    @Test func literalKeysBecomeStandInVariables() throws {
        let result = try mapConfig(Self.config)
        let openai = try #require(result.objects(.integration).first { $0.fields["providerType"] == "OPEN_AI" && $0.fields["endpointUrl"] == nil })
        let body = PlanPayloads.body(of: openai)
        let reference = try #require(body["apiKey"]?.stringValue)
        #expect(reference.hasPrefix("os.environ/LITELLM_SYNAPSE_SECRET_"))
        let variable = String(reference.dropFirst("os.environ/".count))
        #expect(EnvironmentReference.isValidName(variable))
        let required = PlanPayloads.requiredVariables(for: result.desired)
        #expect(required.contains { $0.variable == variable && $0.usedBy.contains("written in the config") })
        // The two deployments with the same literal key share one integration.
        #expect(result.objects(.integration).filter { PlanPayloads.body(of: $0)["apiKey"] == .string(reference) }.count == 1)
        let models = result.objects(.model).map(\.key)
        #expect(models.contains("gpt-4o|OPEN_AI") && models.contains("gpt-4o-mini|OPEN_AI"))
        #expect(result.report.warnings.contains { $0.message.contains("literal") || $0.message.contains("written in the config") })
        // Every integration body's apiKey is a reference or empty, never a value.
        for integration in result.objects(.integration) {
            let key = PlanPayloads.body(of: integration)["apiKey"]?.stringValue ?? ""
            #expect(key.isEmpty || key.hasPrefix("os.environ/"), "\(integration.key): \(key)")
        }
    }

    @Test func inspectMasksLiteralSecretsButNotReferences() throws {
        let s = Scratch()
        s.write("config.yaml", Self.config + "\nextra:\n  api_key: os.environ/KEEP_ME\n")
        let json = ConfigInspector.json(try s.load())
        #expect(json["model_list"]?.arrayValue?.first?["litellm_params"]?["api_key"] == "(sensitive)")
        #expect(json["model_list"]?.arrayValue?.first?["litellm_params"]?["model"] == "openai/gpt-4o")
        #expect(json["general_settings"]?["master_key"] == "(sensitive)")
        #expect(json["credential_list"]?.arrayValue?.first?["credential_values"]?["api_key"] == "(sensitive)")
        #expect(json["extra"]?["api_key"] == "os.environ/KEEP_ME")
    }

    @Test func errorMessagesDoNotQuoteSecrets() {
        let broken = [
            // A YAML error on the line that holds the secret.
            "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: \(Self.secret): x}\n",
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/a\n      api_key: \"\(Self.secret)\n",
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/a\n      api_key: \(Self.secret)\n      api_key2: [\n",
            // A mapping error next to the secret.
            "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: \(Self.secret), litellm_credential_name: nope}\n",
            "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: \(Self.secret), rpm: abc}\n",
            "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: [\(Self.secret)]}\n",
            "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: \"\(Self.secret) os.environ/X\"}\n",
            "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: \"os.environ/\(Self.secret)\"}\n",
            "general_settings:\n  master_key: \(Self.secret)\nmodel_list: 3\n",
            "litellm_settings:\n  callbacks: [\"os.environ/\(Self.secret)\"]\n",
        ]
        for text in broken {
            guard let error = mappingError(text) else { continue }
            #expect(!error.description.contains("LITERAL-Secret"), "\(error)")
            #expect(error.location != nil, "\(error)")
        }
    }
}
