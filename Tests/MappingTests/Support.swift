import Foundation
import SynapseContract
import Testing

@testable import Mapping

/// A scratch folder of real config files, removed when the value goes away.
final class Scratch {
    let root: String

    init() {
        root = NSTemporaryDirectory() + "mapping-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `text` at `relative` (folders created) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = path(relative)
        let folder = (full as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func map(_ relative: String = "config.yaml", tenant: String? = nil) throws(ConfigError) -> MappingResult {
        try MappingPipeline.map(configPath: path(relative), source: LocalFileSource(), tenant: tenant)
    }

    func load(_ relative: String = "config.yaml") throws(ConfigError) -> LoadedConfig {
        try ConfigLoader(source: LocalFileSource()).load(path(relative))
    }
}

/// Maps a one-file config written to a fresh scratch folder.
func mapConfig(_ yaml: String, tenant: String? = nil) throws(ConfigError) -> MappingResult {
    let scratch = Scratch()
    scratch.write("config.yaml", yaml)
    return try scratch.map(tenant: tenant)
}

/// The ConfigError mapping `yaml` throws, or nil (and a test failure) if it maps.
func mappingError(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ConfigError? {
    do {
        _ = try mapConfig(yaml)
        Issue.record("expected a ConfigError, the config mapped", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Checks that an error is located in `config.yaml` at `line` (and `column` if given) and carries a hint.
func expectLocated(
    _ error: ConfigError?, line: Int, column: Int? = nil, file: String = "config.yaml", mentioning words: [String] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    guard let error else { return }
    guard let location = error.location else {
        Issue.record("error has no location: \(error)", sourceLocation: sourceLocation)
        return
    }
    #expect(location.file.hasSuffix("/" + file), "\(error)", sourceLocation: sourceLocation)
    #expect(location.line == line, "\(error)", sourceLocation: sourceLocation)
    if let column { #expect(location.column == column, "\(error)", sourceLocation: sourceLocation) }
    #expect(!error.hint.isEmpty, "no hint: \(error)", sourceLocation: sourceLocation)
    for word in words {
        #expect(error.description.contains(word), "\"\(word)\" missing from: \(error)", sourceLocation: sourceLocation)
    }
}

extension MappingResult {
    func objects(_ kind: ResourceKind) -> [DesiredObject] { desired.objects(of: kind) }

    func object(_ kind: ResourceKind, _ key: String) -> DesiredObject? { desired.object(ObjectRef(kind: kind, key: key)) }

    /// Routing rules of the routing config (empty if there is none).
    var rules: [JSONObject] {
        objects(.routingConfig).first?.fields["rules"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    func rules(for pattern: String) -> [JSONObject] {
        rules.filter { $0["modelPattern"]?.stringValue == pattern }
    }

    func entry(_ path: String) -> MappingReport.Entry? { report.entries.first { $0.path == path } }

    /// Every text output of a plan: payload files, apply.sh, the report, plan JSON.
    var allPlanOutputs: [String] {
        PlanPayloads.files(for: desired).map(\.contents) + [
            ApplyScript.render(for: desired), MigrationReport.render(self), PlanJSON.render(self).prettyPrinted(),
        ] + report.warnings.map(\.description) + report.entries.map { "\($0.path) \($0.note)" }
    }
}

/// The repository root (the folder holding Package.swift), found from this file.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()

/// `<repo>/examples/*/config.yaml`.
let exampleConfigs: [String] = {
    let folder = repositoryRoot + "/examples"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.sorted().map { "\(folder)/\($0)/config.yaml" }.filter { FileManager.default.fileExists(atPath: $0) }
}()

/// The shared corpus of real LiteLLM configs: `<repo>/../shared/corpus/litellm/`.
let corpusFolder: String = {
    let candidates = [repositoryRoot + "/../shared/corpus/litellm", "/work/shared/corpus/litellm"]
    return candidates.first { FileManager.default.fileExists(atPath: $0 + "/INDEX.tsv") } ?? candidates[0]
}()

/// INDEX.tsv: file name → whether PyYAML's safe_load accepts it.
let corpusIndex: [(file: String, pyyamlAccepts: Bool)] = {
    guard let text = try? String(contentsOfFile: corpusFolder + "/INDEX.tsv", encoding: .utf8) else { return [] }
    return text.split(separator: "\n").dropFirst().compactMap { line in
        let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard columns.count >= 3 else { return nil }
        return (String(columns[0]), columns[2] == "ok")
    }
}()

/// A small deterministic random number generator (SplitMix64) for property-style checks.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Resolves `$ref` (`#/components/schemas/X`) and single-entry `allOf` in a contract schema.
func resolvedSchema(_ schema: JSONValue?) -> JSONValue? {
    var current = schema
    for _ in 0..<10 {
        if let ref = current?["$ref"]?.stringValue, let name = ref.split(separator: "/").last {
            current = ContractSchemas.schema(named: String(name))
        } else if let all = current?["allOf"]?.arrayValue, all.count == 1 {
            current = all[0]
        } else {
            break
        }
    }
    return current
}
