import Foundation
import Testing

@testable import Mapping

/// A large config is read in parts, one per core (`YAMLPartedLoad`). Whatever the cut, the tree must be the one a
/// single pass reads (values, order, lines and columns), or the parted read must give up so the single pass runs.
@Suite("Reading a large config in parts")
struct YAMLPartedLoadTests {
    /// The parted read of `text` in `parts` parts: nil when it gave up; otherwise it must equal the single pass.
    @discardableResult
    static func expectSameAsOnePass(_ text: String, parts: Int, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let bytes = Array(text.utf8)
        guard let parted = YAMLPartedLoad.load(bytes, file: name, limits: .default, parts: parts) else { return false }
        do {
            let whole = try YAMLLoader.loadInOnePass(bytes, file: name)
            // Compared outside the expectation: a failure would print both trees whole.
            let same = parted == whole
            #expect(same, "\(name) in \(parts) parts: read differently from one pass", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(name) in \(parts) parts: read in parts, but one pass refuses it: \(error)", sourceLocation: sourceLocation)
        }
        return true
    }

    @Test("every corpus and example config reads to the same tree in parts as in one pass")
    func corpusInParts() throws {
        let corpus = try FileManager.default.contentsOfDirectory(at: RepoPaths.litellmCorpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        #expect(corpus.count >= 500, "the corpus is missing from \(RepoPaths.litellmCorpus.path)")
        let examples = try FileManager.default.subpathsOfDirectory(atPath: RepoPaths.root.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".yaml") }.map { RepoPaths.root.appendingPathComponent("examples/" + $0) }
        #expect(examples.count >= 4)
        var cut = 0
        for file in corpus + examples {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            for parts in [2, 3, 7] where Self.expectSameAsOnePass(text, parts: parts, file.lastPathComponent) { cut += 1 }
        }
        // Many corpus files have a model_list of several entries: the parted read must really have run on them.
        #expect(cut > 200, "only \(cut) parted reads of the corpus")
    }

    static func item(_ i: Int) -> String {
        """
          - model_name: m-\(i)
            litellm_params:
              model: openai/m-\(i)
              rpm: \(i)

        """
    }

    static func list(_ range: Range<Int>) -> String { range.map(item).joined() }

    /// Documents where a cut at a line that looks like a list item is not a clean one, or where joining the parts
    /// needs the rules of a single dict or document. Each is cut at every place the parted read picks.
    static let tricky: [(String, String)] = [
        ("quoted strings spanning item-like lines",
         "model_list:\n" + list(0..<5) + "  - model_name: \"a\n  - model_name: b\n  - model_name: c\"\n" + list(5..<12)),
        ("a single-quoted string spanning item-like lines",
         "model_list:\n" + list(0..<5) + "  - model_name: 'a\n  - x\n\n  - y'\n" + list(5..<12)),
        ("a flow list spanning item-like lines",
         "model_list:\n" + list(0..<5) + "  - tags: [a,\n  - b, c]\n" + list(5..<12)),
        ("a block scalar followed by items",
         "model_list:\n" + list(0..<5) + "  - note: |\n      text\n\n      more\n" + list(5..<12)),
        ("another top-level list at the same indentation after model_list",
         "model_list:\n" + list(0..<4) + "guardrails:\n" + list(100..<110)),
        ("model_list repeated after another key",
         "model_list:\n" + list(0..<6) + "router_settings:\n  a: 1\nmodel_list:\n" + list(6..<12)),
        ("an alias in a later part to an anchor in the first",
         "model_list:\n  - &first\n    model_name: a\n" + list(0..<10) + "  - *first\n"),
        ("the same anchor in two parts",
         "model_list:\n  - model_name: &n a\n" + list(0..<10) + "  - model_name: &n b\n"),
        ("a merge key at the top level",
         "base: &b {x: 1}\nmodel_list:\n" + list(0..<10) + "<<: *b\n"),
        ("a key repeated at the top level across parts",
         "general_settings: {a: 1}\nmodel_list:\n" + list(0..<10) + "general_settings: {a: 2}\n"),
        ("keys Python treats as equal across parts",
         "1: one\nmodel_list:\n" + list(0..<10) + "1.0: other\n"),
        ("an indentless list", "model_list:\n" + list(0..<10).replacingOccurrences(of: "\n  ", with: "\n").dropFirst(2) + "x: 1\n"),
        ("a deeper-indented list", "model_list:\n  " + list(0..<10).replacingOccurrences(of: "\n", with: "\n  ").dropLast(2) + "x: 1\n"),
        ("a second document", "model_list:\n" + list(0..<6) + "---\nmodel_list:\n" + list(6..<12)),
        ("a syntax error late in the list", "model_list:\n" + list(0..<10) + "  - model_name: [unclosed\n" + list(10..<12)),
        ("keys after the list", "model_list:\n" + list(0..<10) + "router_settings:\n  routing_strategy: simple-shuffle\n"),
        ("comments and blank lines at the cuts", "# top\nmodel_list:\n\n  # first\n" + list(0..<10).replacingOccurrences(of: "  - model_name", with: "  # between\n\n  - model_name")),
    ]

    @Test("cuts that are not clean are given up, and every kept cut reads as one pass does")
    func trickyDocuments() {
        var cut = 0
        for (name, text) in Self.tricky {
            for parts in 2...8 where Self.expectSameAsOnePass(text, parts: parts, name) { cut += 1 }
        }
        #expect(cut > 0)
    }

    @Test("a clean list is cut, and a cut through a quoted string or into another list is not")
    func whichCutsAreKept() {
        let plain = "model_list:\n" + Self.list(0..<20) + "router_settings:\n  routing_strategy: simple-shuffle\n"
        #expect(Self.expectSameAsOnePass(plain, parts: 4, "plain"))
        // Every item after the first is inside one quoted string: no cut is clean.
        let quoted = "model_list:\n  - model_name: \"a\n" + Self.list(0..<20) + "\"\n"
        #expect(!Self.expectSameAsOnePass(quoted, parts: 2, "quoted"))
        // All items but one belong to another key's list.
        let other = "model_list:\n" + Self.item(0) + "guardrails:\n" + Self.list(1..<20)
        #expect(!Self.expectSameAsOnePass(other, parts: 2, "other"))
    }

    @Test("a large config reads in parts to the same tree, and its errors are the single pass's")
    func largeConfig() throws {
        var text = "model_list:\n"
        var i = 0
        while text.utf8.count < YAMLPartedLoad.minimumBytes + 1000 {
            text += Self.item(i)
            i += 1
        }
        let bytes = Array(text.utf8)
        #expect(YAMLPartedLoad.load(bytes, file: "big.yaml", limits: .default, parts: ChunkedWork.cores) != nil)
        #expect(try YAMLLoader.load(bytes, file: "big.yaml") == YAMLLoader.loadInOnePass(bytes, file: "big.yaml"))

        // A broken entry near the end: the error is the one reading the file whole gives.
        let broken = Array((text + "  - model_name: x\n    rpm: [1, 2\n").utf8)
        #expect(YAMLPartedLoad.load(broken, file: "big.yaml", limits: .default, parts: ChunkedWork.cores) == nil)
        let expected = try #require(throws: ConfigError.self) { try YAMLLoader.loadInOnePass(broken, file: "big.yaml") }
        let error = try #require(throws: ConfigError.self) { try YAMLLoader.load(broken, file: "big.yaml") }
        #expect(error == expected)
        let linesBefore = text.utf8.count { $0 == UInt8(ascii: "\n") }
        #expect((error.location?.line ?? 0) > linesBefore, "\(error)")
    }
}
