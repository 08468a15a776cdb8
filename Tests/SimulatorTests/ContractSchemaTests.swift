import Foundation
import SynapseContract
import Testing

@Suite("Contract schemas")
struct ContractSchemaTests {
    // MARK: - The embedded copy matches the YAML

    @Test("every embedded schema equals the one in synapse-gateway.openapi.yaml")
    func embeddedSchemasMatchTheContract() throws {
        let specPath = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference/synapse-gateway.openapi.yaml").path
        try #require(FileManager.default.fileExists(atPath: specPath), "contract not found at \(specPath)")

        var pointers: JSONObject = [:]
        for name in ContractSchemas.names { pointers[name] = .string(try #require(ContractSchemas.sourcePointer(of: name))) }
        // Resolves each JSON pointer in the YAML, independently of scripts/extract_contract_schemas.py.
        let script = """
            import json, sys, yaml
            doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
            out = {}
            for name, pointer in json.loads(sys.argv[2]).items():
                node = doc
                for token in pointer.lstrip("#/").split("/"):
                    node = node[token.replace("~1", "/").replace("~0", "~")]
                out[name] = node
            print(json.dumps(out, default=str))
            """
        let result = try runProcess(["timeout", "60", "python3", "-c", script, specPath, JSONValue.object(pointers).serialized()])
        try #require(result.status == 0, """
            reading the contract needs python3 with PyYAML: install python3-yaml (apt-get install -y python3-yaml, \
            or pip install pyyaml). exit \(result.status): \(result.stderr)
            """)
        let fromYAML = try JSONValue.parse(result.stdout)
        for name in ContractSchemas.names {
            #expect(ContractSchemas.schema(named: name) == fromYAML[name],
                "\(name) differs from the YAML: re-run scripts/extract_contract_schemas.py ../shared/reference/synapse-gateway.openapi.yaml")
        }
    }

    @Test("the request schemas of every resource kind and their references are embedded")
    func everyKindIsCovered() {
        for kind in ResourceKind.allCases {
            #expect(ContractSchemas.schema(named: kind.createSchema) != nil, "\(kind.createSchema)")
            #expect(ContractSchemas.schema(named: kind.updateSchema) != nil, "\(kind.updateSchema)")
        }
        for name in ["ErrorResponse", "TierLimits", "RateLimitTier", "GuardType", "CreateRuleInput", "TenantTierListResponse"] {
            #expect(ContractSchemas.schema(named: name) != nil, "\(name)")
        }
        for name in ContractSchemas.names {
            let refs = Self.refs(in: ContractSchemas.schema(named: name)!)
            for ref in refs {
                #expect(ContractSchemas.schema(named: String(ref.split(separator: "/").last!)) != nil, "\(name) refers to \(ref)")
            }
        }
    }

    // MARK: - Validator

    @Test func conformingBodyHasNoViolations() {
        let body: JSONValue = ["name": "openai", "providerType": "OPEN_AI", "apiKey": "sk-1234", "config": ["a": 1], "extra": true]
        #expect(ContractSchemas.validate(body, against: "CreateIntegrationRequest").isEmpty)
    }

    @Test func missingRequiredFieldIsReportedWithItsPath() {
        let violations = ContractSchemas.validate(["name": "openai", "providerType": "OPEN_AI"], against: "CreateIntegrationRequest")
        #expect(violations.map(\.path) == ["/apiKey"])
        #expect(violations.first?.kind == .missingRequired)
    }

    @Test func enumValuesAreChecked() {
        let violations = ContractSchemas.validate(["name": "x", "providerType": "OPENAI", "apiKey": "k"], against: "CreateIntegrationRequest")
        #expect(violations.count == 1)
        #expect(violations.first?.path == "/providerType")
        #expect(violations.first?.kind == .notInEnum)
        #expect(violations.first?.message.contains("OPEN_AI") == true)
    }

    @Test func integerIsNotNumberAndTypesAreChecked() {
        let base: JSONObject = ["slug": "s", "name": "n", "providerType": "openai",
            "integrationId": "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"]
        func violations(priority: JSONValue) -> [SchemaViolation] {
            var body = base
            body["priority"] = priority
            return ContractSchemas.validate(.object(body), against: "CreateProviderRequest")
        }
        #expect(violations(priority: 3).isEmpty)
        #expect(violations(priority: 1.5).map(\.kind) == [.wrongType])
        #expect(violations(priority: 2.0).map(\.kind) == [.wrongType])
        #expect(violations(priority: "3").first?.message == "expected integer, got string")
        #expect(violations(priority: nil).map(\.kind) == [.wrongType])
        #expect(ContractSchemas.validate(["burstMultiplier": 2, "rps": 1, "rpm": 1, "tpm": 1, "rpd": 1], against: "TierLimits").isEmpty)
    }

    @Test func nestedPropertiesAndArrayItemsHavePointerPaths() {
        let model: JSONValue = ["modelId": "gpt-4o", "displayName": "GPT-4o", "providerType": "openai", "capabilities": ["tools": "yes"]]
        let modelViolations = ContractSchemas.validate(model, against: "CreateModelRequest")
        #expect(modelViolations.map(\.path) == ["/capabilities/tools"])

        let guardrail: JSONValue = ["name": "pii", "rules": [["ruleType": "REGEX", "config": [:]], ["ruleType": "GLOB"]]]
        let paths = ContractSchemas.validate(guardrail, against: "CreateGuardrailRequest").map(\.path).sorted()
        #expect(paths == ["/rules/1/config", "/rules/1/ruleType"])
    }

    @Test func referencesAreResolved() {
        #expect(ContractSchemas.validate(["tier": "pro"], against: "SetTenantTierRequest").isEmpty)
        let violations = ContractSchemas.validate(["tier": "gold"], against: "SetTenantTierRequest")
        #expect(violations.map(\.path) == ["/tier"])
        #expect(violations.first?.kind == .notInEnum)
    }

    @Test func formatsAreChecked() {
        let base: JSONObject = ["slug": "s", "name": "n", "providerType": "openai"]
        var provider = base
        provider["integrationId"] = "not-a-uuid"
        #expect(ContractSchemas.validate(.object(provider), against: "CreateProviderRequest").map(\.kind) == [.badFormat])

        for good in ["2025-01-31T12:00:00Z", "2025-01-31T12:00:00.123+02:00"] {
            #expect(ContractSchemas.validate(["name": "k", "expiresAt": .string(good)], against: "CreateVirtualKeyRequest").isEmpty, "\(good)")
        }
        for bad in ["tomorrow", "2025-13-01T00:00:00Z", "2025-01-31 12:00", "2025-01-31T12:00:00"] {
            #expect(ContractSchemas.validate(["name": "k", "expiresAt": .string(bad)], against: "CreateVirtualKeyRequest").map(\.kind)
                == [.badFormat], "\(bad)")
        }
        #expect(ContractSchemas.isUUID("6F1C2A8E-3B4D-4E5F-8A9B-0C1D2E3F4A5B"))
        #expect(!ContractSchemas.isUUID("6f1c2a8e3b4d4e5f8a9b0c1d2e3f4a5b"))
    }

    @Test func lengthAndRangeLimitsAreChecked() {
        let long = String(repeating: "t", count: 129)
        #expect(ContractSchemas.validate(["name": .string(long)], against: "CreateTeamRequest").map(\.kind) == [.tooLong])
        #expect(ContractSchemas.validate(["name": .string(String(long.dropLast()))], against: "CreateTeamRequest").isEmpty)
        let pageSize: JSONValue = ["type": "integer", "minimum": 1, "maximum": 100]
        #expect(ContractSchemas.validate(100, schema: pageSize).isEmpty)
        #expect(ContractSchemas.validate(101, schema: pageSize).map(\.kind) == [.outOfRange])
        #expect(ContractSchemas.validate(0, schema: pageSize).map(\.kind) == [.outOfRange])
    }

    @Test func defaultsAndDeclaredFieldsAreExposed() {
        #expect(ContractSchemas.defaultValue(forField: "modelType", inSchema: "CreateModelRequest") == "CHAT")
        #expect(ContractSchemas.defaultValue(forField: "priority", inSchema: "CreateProviderRequest") == 0)
        #expect(ContractSchemas.defaultValue(forField: "name", inSchema: "CreateProviderRequest") == nil)
        #expect(ContractSchemas.declaredFields(of: "CreateIntegrationRequest")
            == ["name", "description", "providerType", "apiKey", "endpointUrl", "config"])
        #expect(ContractSchemas.declaredFields(of: "SetTenantTierRequest") == ["tier"])
        #expect(ContractSchemas.declaredFields(of: "NoSuchSchema") == nil)
    }

    @Test func unknownSchemaIsAViolationNotACrash() {
        let violations = ContractSchemas.validate([:], against: "NoSuchSchema")
        #expect(violations.map(\.kind) == [.unknownSchema])
    }

    // MARK: - Helpers

    private static func refs(in value: JSONValue) -> [String] {
        switch value {
        case .object(let fields):
            return fields.flatMap { key, child in key == "$ref" ? [child.stringValue ?? ""] : refs(in: child) }
        case .array(let items):
            return items.flatMap(refs(in:))
        default:
            return []
        }
    }
}

/// Runs a program found on PATH and returns its exit status and output (stdout read fully before waiting).
func runProcess(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
