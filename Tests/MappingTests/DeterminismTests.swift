import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("determinism and apply.sh")
struct DeterminismTests {
    @Test(arguments: exampleConfigs)
    func mappingTwiceGivesIdenticalFiles(path: String) throws {
        let first = try MappingPipeline.map(configPath: path, source: LocalFileSource())
        let second = try MappingPipeline.map(configPath: path, source: LocalFileSource())
        #expect(first.desired == second.desired)
        let a = PlanPayloads.files(for: first.desired), b = PlanPayloads.files(for: second.desired)
        #expect(a.map(\.name) == b.map(\.name))
        #expect(a.map(\.contents) == b.map(\.contents))
        #expect(ApplyScript.render(for: first.desired) == ApplyScript.render(for: second.desired))
        #expect(MigrationReport.render(first) == MigrationReport.render(second))
        #expect(PlanJSON.render(first).prettyPrinted() == PlanJSON.render(second).prettyPrinted())
    }

    @Test func integrationNamesAreStableAndIndependentOfFolderAndOrder() throws {
        let config = """
            model_list:
              - model_name: a
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
              - model_name: b
                litellm_params: {model: azure/gpt-4o-eu, api_key: os.environ/AZ, api_base: "https://eu.example.com", api_version: "2024-10-21"}
              - model_name: c
                litellm_params: {model: anthropic/claude-3-5-sonnet-20241022, api_key: sk-ant-literal}
            """
        let reordered = """
            model_list:
              - model_name: c
                litellm_params: {api_key: sk-ant-literal, model: anthropic/claude-3-5-sonnet-20241022}
              - model_name: b
                litellm_params: {api_version: "2024-10-21", api_base: "https://eu.example.com", api_key: os.environ/AZ, model: azure/gpt-4o-eu}
              - model_name: a
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}
            """
        let names = { (yaml: String) throws -> [String] in try mapConfig(yaml).objects(.integration).map(\.key) }
        let first = try names(config)
        #expect(first.count == 3)
        #expect(try names(config) == first, "a different scratch folder gives the same names")
        #expect(try names(reordered) == first, "entry and key order do not change names")
        // Pinned: a change here renames gateway objects on every installation.
        #expect(first.contains("openai-" + String(SHA256.hex(Array("provider=openai\nsecret=env:OPENAI_API_KEY\nendpoint=".utf8)).prefix(8))))
        for name in first {
            #expect(name.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil, "\(name)")
            #expect(name.count <= 63)
        }
        // A different key or endpoint is a different integration.
        let other = try names(config.replacingOccurrences(of: "os.environ/AZ,", with: "os.environ/AZ2,"))
        #expect(Set(other).symmetricDifference(first).count == 2)
    }

    @Test(arguments: exampleConfigs)
    func applyScriptIsValidBash(path: String) throws {
        let result = try MappingPipeline.map(configPath: path, source: LocalFileSource())
        try checkBashSyntax(ApplyScript.render(for: result.desired))
    }

    @Test func applyScriptIsValidBashWithEveryKind() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: "we'ird $(name)"
                litellm_params: {model: "openai/gpt-4o", api_key: "sk-'quoted\\"literal"}
            litellm_synapse:
              tenant: "tenant with spaces"
              rate_limit_tier: pro
              teams: [{name: "team `x`"}]
              virtual_keys: [{name: "key $HOME"}]
            """)
        let script = ApplyScript.render(for: result.desired)
        try checkBashSyntax(script)
        #expect(!script.contains("sk-'quoted"))
        #expect(!script.contains("$(name)"), "config text must not reach the script where bash would run it")
    }

    private func checkBashSyntax(_ script: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let s = Scratch()
        let file = s.write("apply.sh", script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", file]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "bash -n: \(message)", sourceLocation: sourceLocation)
        #expect(script.hasPrefix("#!/usr/bin/env bash\n"), sourceLocation: sourceLocation)
    }
}
