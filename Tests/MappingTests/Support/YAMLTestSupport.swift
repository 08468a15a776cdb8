import Foundation
import Mapping
import SynapseContract
import Testing

/// Loads YAML text as a file called `t.yaml`.
func loadYAML(_ text: String, limits: YAMLLimits = .default) throws(ConfigError) -> YAMLNode {
    try YAMLLoader.load(Array(text.utf8), file: "t.yaml", limits: limits)
}

/// The error loading `bytes` gives, or nil when it loads.
func yamlError(_ bytes: [UInt8], limits: YAMLLimits = .default) -> ConfigError? {
    do {
        _ = try YAMLLoader.load(bytes, file: "t.yaml", limits: limits)
        return nil
    } catch {
        return error
    }
}

func yamlError(_ text: String, limits: YAMLLimits = .default) -> ConfigError? {
    yamlError(Array(text.utf8), limits: limits)
}

/// `line:column` of an error, for compact expectations.
func place(_ error: ConfigError?) -> String? {
    error?.location.map { "\($0.line):\($0.column)" }
}

enum RepoPaths {
    /// The repository's root, from this file's place (Tests/MappingTests/Support/…).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared/corpus/litellm` beside the repository.
    static let litellmCorpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/litellm")
    static let pyyamlScript = root.appendingPathComponent("scripts/pyyaml_to_json.py")
}

/// What PyYAML's `yaml.safe_load` makes of files, through `scripts/pyyaml_to_json.py` (one python run for all).
enum PyYAMLReference {
    enum Outcome: Equatable {
        case value(JSONValue)
        case error(String)
    }

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ files: [URL]) throws -> [String: Outcome] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepoPaths.pyyamlScript.path] + files.map(\.path)
        let out = Pipe()
        process.standardOutput = out
        // Errors go to a file, not a second pipe: a long traceback would fill that pipe while stdout is being read,
        // and both processes would wait for ever.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("pyyaml-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardError = try FileHandle(forWritingTo: errorFile)
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run python3 (\(error)): install python3 and python3-yaml (apt-get install python3-yaml)")
        }
        // Read before waiting: the output is larger than a pipe's buffer.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self).suffix(2000)
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "python3 \(RepoPaths.pyyamlScript.lastPathComponent) failed (status \(process.terminationStatus)): \(errors) — install python3-yaml (apt-get install python3-yaml) so the YAML tests can compare against PyYAML")
        }
        var results: [String: Outcome] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let object = try JSONValue.parse(Array(line))
            guard let file = object["file"]?.stringValue else { continue }
            if let message = object["error"]?.stringValue {
                results[file] = .error(message)
            } else {
                results[file] = .value(object["value"] ?? .null)
            }
        }
        return results
    }
}
