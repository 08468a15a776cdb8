import Foundation
import Mapping
import SynapseContract
import Testing

/// Every LiteLLM config in `../shared/corpus/litellm`: loaded here exactly when PyYAML's safe_load loads it, to the
/// same JSON; refused with a located error otherwise. PyYAML runs once, at test time, for all files
/// (`scripts/pyyaml_to_json.py`); without python3 and PyYAML this test fails.
@Suite struct YAMLCorpusTests {
    @Test func corpusLoadsAsPyYAMLLoadsIt() throws {
        let folder = RepoPaths.litellmCorpus
        guard let index = try? String(contentsOf: folder.appendingPathComponent("INDEX.tsv"), encoding: .utf8) else {
            Issue.record("the LiteLLM corpus is not at \(folder.path): it is expected in ../shared beside the repository")
            return
        }
        var expectedAccepted: [String: Bool] = [:]
        for line in index.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 3 else { continue }
            expectedAccepted[String(columns[0])] = columns[2] == "ok"
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(files.count >= 500, "the corpus is missing from \(folder.path)")

        let reference: [String: PyYAMLReference.Outcome]
        do {
            reference = try PyYAMLReference.load(files)
        } catch {
            Issue.record("\(error)")
            return
        }

        var accepted = 0, refused = 0
        for file in files {
            let name = file.lastPathComponent
            let bytes = try [UInt8](Data(contentsOf: file))
            guard let pyyaml = reference[file.path] else {
                Issue.record("no PyYAML result for \(name)")
                continue
            }
            if let indexSays = expectedAccepted[name] {
                let pyyamlAccepts: Bool
                if case .value = pyyaml { pyyamlAccepts = true } else { pyyamlAccepts = false }
                #expect(indexSays == pyyamlAccepts, "INDEX.tsv and this machine's PyYAML disagree on \(name)")
            }
            do {
                let node = try YAMLLoader.load(bytes, file: name)
                accepted += 1
                switch pyyaml {
                case .value(let json):
                    #expect(node.json == json, "\(name): loaded differently from PyYAML")
                case .error(let message):
                    Issue.record("\(name): loaded here, but PyYAML refuses it: \(message)")
                }
            } catch {
                refused += 1
                if case .value = pyyaml { Issue.record("\(name): PyYAML loads it, but here: \(error)") }
                #expect(error.location?.file == name, "\(name): the error has no place: \(error)")
                #expect(!error.hint.isEmpty, "\(name): the error says nothing to do: \(error)")
            }
        }
        #expect(accepted + refused == files.count)
        #expect(accepted > 500)
    }
}
