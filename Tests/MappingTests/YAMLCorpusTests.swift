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
        // Both paths ran: the corpus has files PyYAML loads and files it refuses (INDEX.tsv marks them).
        #expect(accepted > 500)
        #expect(refused > 0)
    }

    /// Inputs whose PyYAML result is easy to get wrong, beyond the typing tables (which are checked here too). Not
    /// here: keys that differ only in Unicode normalization, which PyYAML keeps apart and this reader refuses (see
    /// `YAMLStructureTests.normalizationTwinsAreRefused` and the README's limits).
    static let trickyDocuments = [
        "k: 1e400\n", "k: 1.0e400\n", "k: -.inf\n", "{.nan: a, .nan: b}\n", "{1: a, 1.0: b, true: c}\n",
        "{9223372036854775808: a, 9223372036854775808.0: b}\n",
        "k: !!binary 'aGVs bG8='\n", "k: !!binary 'aGVs bG8=x'\n", "k: !!int {a: 12}\n", "k: 2001-12-14 21:59:43.10 -5\n",
        "k: 2002-12-14\n", "k: 0o17\n", "k: 1:20\n", "k: -1:20:30.5\n", "k: &a [1, *a]\n", "<<: {a: 1}\nb: 2\n",
    ]

    /// The expected values of `YAMLTypingTests`' tables were written down from PyYAML; this asks this machine's
    /// PyYAML again, with the inputs above, so a table and PyYAML cannot drift apart unnoticed.
    @Test func typingTablesAndTrickyInputsLoadAsPyYAMLLoadsThem() throws {
        let texts = YAMLTypingTests.plainScalars.map { "k: \($0.0)\n" } + YAMLTypingTests.tagged.map { "k: \($0.0)\n" }
            + Self.trickyDocuments
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pyyaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL] = []
        for (i, text) in texts.enumerated() {
            let file = folder.appendingPathComponent("\(i).yaml")
            try Data(text.utf8).write(to: file)
            files.append(file)
        }
        let reference = try PyYAMLReference.load(files)
        for (file, text) in zip(files, texts) {
            guard let pyyaml = reference[file.path] else {
                Issue.record("no PyYAML result for \(text)")
                continue
            }
            let here = Result { () throws(ConfigError) in try loadYAML(text) }
            switch (pyyaml, here) {
            case (.value(let json), .success(let node)):
                #expect(node.json == json, "\(text): loaded differently from PyYAML")
            case (.error, .failure):
                break
            case (.value, .failure(let error)):
                Issue.record("PyYAML loads \(text), but here: \(error)")
            case (.error(let message), .success):
                Issue.record("PyYAML refuses \(text) (\(message)), but it loads here")
            }
        }
    }
}
