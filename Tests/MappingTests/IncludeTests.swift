import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("include: files")
struct IncludeTests {
    static let m0 = """
        model_list:
          - model_name: m0
            litellm_params: {model: openai/m0, api_key: os.environ/K}
        """

    @Test(arguments: [
        ("conf/main.yaml", "../shared/m.yaml", "shared/m.yaml"), ("main.yaml", "m.yaml", "m.yaml"),
        ("/main.yaml", "m.yaml", "/m.yaml"), ("/etc/litellm/main.yaml", "./m.yaml", "/etc/litellm/m.yaml"),
        ("/etc/main.yaml", "/opt/m.yaml", "/opt/m.yaml"),
    ])
    func includePathsResolveAgainstTheIncludingFilesFolder(file: String, include: String, expected: String) {
        #expect(ConfigPath.join(directoryOf: file, include) == expected)
    }

    @Test func relativePathsAreMergedWithListsConcatenatedBaseFirst() throws {
        let s = Scratch()
        s.write("config.yaml", "include:\n  - models/a.yaml\n" + Self.m0)
        s.write("models/a.yaml", """
            model_list:
              - model_name: m1
                litellm_params: {model: openai/m1, api_key: os.environ/K}
            """)
        let result = try s.map()
        let config = try LiteLLMConfig(try s.load())
        #expect(config.deployments.map(\.modelName) == ["m0", "m1"])
        #expect(result.files == [s.path("config.yaml"), s.path("models/a.yaml")])
        #expect(config.loaded["include"] == nil)
        // The included entry is reported where it is written.
        let entry = try #require(result.entry("model_list[1].model_name"))
        #expect(entry.location.file == s.path("models/a.yaml"))
        #expect(entry.location.line == 2)
        #expect(result.objects(.model).map { $0.fields["modelId"]?.stringValue } == ["m0", "m1"])
    }

    @Test func nestedIncludesResolveRelativeToTheDeclaringFile() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [sub/a.yaml]\n" + Self.m0)
        s.write("sub/a.yaml", "include: [b.yaml]\nmodel_list:\n  - model_name: m1\n    litellm_params: {model: openai/m1}\n")
        s.write("sub/b.yaml", "model_list:\n  - model_name: m2\n    litellm_params: {model: openai/m2}\n")
        // A decoy next to the main file must not be read: sub/b.yaml exists.
        s.write("b.yaml", "model_list:\n  - model_name: decoy\n    litellm_params: {model: openai/decoy}\n")
        let loaded = try s.load()
        let config = try LiteLLMConfig(loaded)
        #expect(config.deployments.map(\.modelName) == ["m0", "m1", "m2"])
        #expect(loaded.files == [s.path("config.yaml"), s.path("sub/a.yaml"), s.path("sub/b.yaml")])
        #expect(loaded.warnings.isEmpty)
    }

    @Test func nestedIncludeFallsBackToTheMainFilesFolderWithAWarning() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [sub/a.yaml]\n" + Self.m0)
        s.write("sub/a.yaml", "include:\n  - c.yaml\n")
        s.write("c.yaml", "model_list:\n  - model_name: m3\n    litellm_params: {model: openai/m3}\n")
        let result = try s.map()
        #expect(result.files.last == s.path("c.yaml"))
        let warning = try #require(result.report.warnings.first { $0.message.contains("c.yaml") })
        #expect(warning.location?.file == s.path("sub/a.yaml"))
        #expect(warning.location?.line == 2)
        #expect(result.objects(.model).contains { $0.fields["modelId"]?.stringValue == "m3" })
    }

    @Test func includedMappingReplacesTheSectionWhole() throws {
        let s = Scratch()
        s.write("config.yaml", """
            include: [extra.yaml]
            litellm_settings:
              drop_params: true
              num_retries: 5
            router_settings:
              routing_strategy: latency-based-routing
            general_settings: [a]
            """ + "\n" + Self.m0)
        s.write("extra.yaml", """
            litellm_settings:
              set_verbose: true
            router_settings:
              routing_strategy: usage-based-routing
            general_settings: {master_key: os.environ/MASTER}
            environment_variables: {A: b}
            """)
        let loaded = try s.load()
        let settings = try #require(loaded["litellm_settings"]).value
        #expect(settings["set_verbose"] != nil)
        #expect(settings["drop_params"] == nil, "an included litellm_settings replaces the section, no deep merge")
        #expect(settings["num_retries"] == nil)
        #expect(try #require(loaded["general_settings"]).value.isMapping, "a list replaced by a mapping")
        #expect(loaded["environment_variables"] != nil)
        let result = try s.map()
        #expect(result.objects(.routingConfig).first?.fields["strategy"] == "balanced")
        #expect(result.entry("litellm_settings.drop_params") == nil)
        #expect(result.entry("litellm_settings.set_verbose")?.location.file == s.path("extra.yaml"))
        // Keys keep their first position (Python dict order): litellm_settings before router_settings.
        #expect(loaded.topLevel.map(\.key.scalarText).prefix(3) == ["litellm_settings", "router_settings", "general_settings"])
    }

    @Test func aListReplacesANonListAndANonListReplacesAList() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [x.yaml]\nfoo: {a: 1}\nbar: [1, 2]\n" + Self.m0)
        s.write("x.yaml", "foo: [3]\nbar: 7\n")
        let loaded = try s.load()
        guard case .sequence(let items)? = loaded["foo"]?.value.value else {
            Issue.record("foo should be the included list")
            return
        }
        #expect(items.map(\.value) == [.int(3)])
        #expect(loaded["bar"]?.value.value == .int(7))
    }

    @Test func aFileIncludedTwiceIsMergedOnce() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [a.yaml, b.yaml, ./a.yaml]\n" + Self.m0)
        s.write("a.yaml", "include: [shared.yaml]\n")
        s.write("b.yaml", "include: [shared.yaml, ../\(URL(fileURLWithPath: s.root).lastPathComponent)/shared.yaml]\n")
        s.write("shared.yaml", "model_list:\n  - model_name: shared\n    litellm_params: {model: openai/shared}\n")
        let loaded = try s.load()
        let config = try LiteLLMConfig(loaded)
        #expect(config.deployments.map(\.modelName) == ["m0", "shared"])
        #expect(loaded.files.filter { $0.hasSuffix("shared.yaml") }.count == 1)
    }

    @Test func aCycleIsAnErrorAtTheIncludeEntry() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [a.yaml]\n" + Self.m0)
        s.write("a.yaml", "# comment\ninclude:\n  - b.yaml\n")
        s.write("b.yaml", "include:\n  - x.yaml\n  - a.yaml\n")
        s.write("x.yaml", "{}\n")
        do {
            _ = try s.map()
            Issue.record("a cycle must be an error")
        } catch {
            #expect(error.location == Mapping.SourceLocation(file: s.path("b.yaml"), line: 3, column: 5), "\(error)")
            #expect(error.message.contains("cycle"))
            #expect(error.message.contains("a.yaml") && error.message.contains("b.yaml"))
            #expect(!error.hint.isEmpty)
        }
    }

    @Test func includingTheMainFileIsACycleEvenWhenItsPathIsWrittenDifferently() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [sub/a.yaml]\n" + Self.m0)
        s.write("sub/a.yaml", "include: [../config.yaml]\n")
        for mainPath in [s.path("config.yaml"), s.root + "/./config.yaml", s.root + "/sub/../config.yaml", s.root + "//config.yaml"] {
            do {
                _ = try MappingPipeline.map(configPath: mainPath, source: LocalFileSource())
                Issue.record("a cycle through the main file must be an error (\(mainPath))")
            } catch {
                #expect(error.message.contains("cycle"), "\(mainPath): \(error)")
                #expect(error.location?.line == 1, "\(error)")
                #expect(error.location?.file.hasSuffix("sub/a.yaml") == true, "\(error)")
            }
        }
    }

    @Test func aSelfIncludeIsACycle() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [a.yaml]\n" + Self.m0)
        s.write("a.yaml", "include: [a.yaml]\n")
        let error = try #require(throws: ConfigError.self) { try s.map() }
        #expect(error.message.contains("cycle"))
        #expect(error.location?.file == s.path("a.yaml"))
    }

    @Test func aMissingIncludeIsAnErrorNamingIt() throws {
        let s = Scratch()
        s.write("config.yaml", "include:\n  - models/present.yaml\n  - models/absent.yaml\n" + Self.m0)
        s.write("models/present.yaml", "{}\n")
        let error = try #require(throws: ConfigError.self) { try s.map() }
        #expect(error.description.contains("absent.yaml"))
        #expect(error.location == Mapping.SourceLocation(file: s.path("config.yaml"), line: 3, column: 5))
        #expect(!error.hint.isEmpty)
    }

    @Test func includeMustBeAList() throws {
        for (text, what) in [("include: models.yaml\n", "string"), ("include: {a: b.yaml}\n", "mapping"), ("include:\n  - [a.yaml]\n", "entry")] {
            let error = mappingError(text + Self.m0)
            expectLocated(error, line: what == "entry" ? 2 : 1, mentioning: ["include"])
        }
    }

    @Test func anIncludedFileWithAYAMLErrorIsReportedInThatFile() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [bad.yaml]\n" + Self.m0)
        s.write("bad.yaml", "model_list:\n  - model_name: [unclosed\n")
        let error = try #require(throws: ConfigError.self) { try s.map() }
        #expect(error.location?.file == s.path("bad.yaml"), "\(error)")
    }

    @Test func anIncludedFileMustBeAMapping() throws {
        let s = Scratch()
        s.write("config.yaml", "include: [list.yaml]\n" + Self.m0)
        s.write("list.yaml", "- a\n- b\n")
        let error = try #require(throws: ConfigError.self) { try s.map() }
        #expect(error.location?.file == s.path("list.yaml"), "\(error)")
        #expect(error.message.contains("mapping"))
    }
}
