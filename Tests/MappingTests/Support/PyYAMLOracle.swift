import Foundation
import SynapseContract

/// Runs PyYAML (`yaml.safe_load`, what LiteLLM uses) through `scripts/pyyaml_to_json.py` so tests compare the Swift
/// loader with the real thing. Missing python3 or PyYAML is a failure with install advice, never a skip.
///
/// ```swift
/// let results = try PyYAMLOracle.load(files: ["/tmp/a.yaml"])   // ["/tmp/a.yaml": .accepted(json)]
/// ```
enum PyYAMLOracle {
    enum Outcome: Equatable {
        case accepted(JSONValue)
        case rejected(String)
    }

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The repository root, from this file's place (Tests/MappingTests/Support/).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let script = repositoryRoot.appendingPathComponent("scripts/pyyaml_to_json.py").path

    /// One run of the script for all `files`; keyed by the path as given.
    static func load(files: [String]) throws -> [String: Outcome] {
        let output = try run(["python3", script] + files)
        var results: [String: Outcome] = [:]
        for line in output.split(separator: "\n") {
            let record = try JSONValue.parse(String(line))
            guard let file = record["file"]?.stringValue, let ok = record["ok"]?.boolValue else {
                throw Unavailable(description: "unexpected line from pyyaml_to_json.py: \(line.prefix(200))")
            }
            results[file] = ok ? .accepted(record["json"] ?? .null) : .rejected(record["error"]?.stringValue ?? "")
        }
        return results
    }

    /// Loads each text (written to a temporary file) with PyYAML.
    static func load(texts: [String]) throws -> [Outcome] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pyyaml-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (n, text) in texts.enumerated() {
            let path = directory.appendingPathComponent("\(n).yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let results = try load(files: paths)
        return try paths.map { path in
            guard let outcome = results[path] else { throw Unavailable(description: "no PyYAML result for \(path)") }
            return outcome
        }
    }

    private static func run(_ arguments: [String]) throws -> String {
        let check = try launch(["python3", "-c", "import yaml"])
        guard check.status == 0 else {
            throw Unavailable(description: "python3 with PyYAML is required for this test (it is the reference "
                + "LiteLLM uses): install python3-yaml (apt-get install python3-yaml, or pip install pyyaml). "
                + check.errors)
        }
        let result = try launch(arguments)
        guard result.status == 0 else {
            throw Unavailable(description: "pyyaml_to_json.py failed (exit \(result.status)): \(result.errors)")
        }
        return result.output
    }

    private static func launch(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        // stderr goes to a file so that neither pipe can fill up and block the child.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("pyyaml-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        let errorHandle = try FileHandle(forWritingTo: errorPath)
        defer { try? errorHandle.close() }
        process.standardOutput = out
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot start \(arguments[0]) (\(error)): install python3 and python3-yaml")
        }
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errors)
    }
}
