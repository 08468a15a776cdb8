import Foundation
import Mapping
import SynapseContract
import Testing

/// The loader against PyYAML itself: every config of the LiteLLM corpus, and a table of tricky scalars.
@Suite struct YAMLCorpusTests {
    static let corpus = PyYAMLOracle.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/litellm")

    @Test func corpusMatchesPyYAML() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count >= 500, "corpus at \(Self.corpus.path) should hold the LiteLLM configs")
        let paths = names.map { Self.corpus.appendingPathComponent($0).path }
        let reference = try PyYAMLOracle.load(files: paths)
        var accepted = 0
        var rejected = 0
        var problems: [String] = []
        for path in paths {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let name = (path as NSString).lastPathComponent
            let ours: Result<YAMLNode, ConfigError> = Result { () throws(ConfigError) in
                try YAMLLoader.load(bytes, file: name)
            }
            switch (reference[path], ours) {
            case (.accepted(let expected)?, .success(let node)):
                accepted += 1
                if node.json != expected { problems.append("\(name): JSON differs from PyYAML's") }
            case (.accepted?, .failure(let error)):
                problems.append("\(name): PyYAML accepts it, we reject it: \(error)")
            case (.rejected(let why)?, .success):
                problems.append("\(name): PyYAML rejects it (\(why)), we accept it")
            case (.rejected?, .failure(let error)):
                rejected += 1
                if error.location == nil { problems.append("\(name): our error has no location: \(error)") }
            case (nil, _):
                problems.append("\(name): no PyYAML result")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.prefix(30).joined(separator: "\n"))")
        #expect(accepted > 400 && rejected > 0, "accepted \(accepted), rejected \(rejected)")
    }

    /// Scalars at the edges of PyYAML's resolver and constructors, each loaded as `v: <scalar>` by both sides.
    @Test func trickyScalarsMatchPyYAML() throws {
        let scalars = [
            "yes", "No", "ON", "oFF", "y", "n", "true", "TRUE", "tRUE", "~", "null", "NULL", "nULL", "", "<<", "=",
            "0", "-0", "+0", "00", "07", "08", "0_7", "0b101", "0b", "0b_", "-0b11", "0x1F", "0X1F", "0x_1f", "0o17",
            "1_000", "1__0", "1_", "190:20:30", "1:30", "-1:30", "1:60", "12:61", "01:30", "1:3:5", "0:30",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "0x7fffffffffffffffff", "0777777777777777777777777",
            "1.5", "1.", "-1.", ".5", "._5", "+.5", "1e3", "1e+3", "1.0e3", "1.0e+3", "1.e-3", "1.0E+3", "1_0.5_",
            "6.8523015e+5", "685.230_15e+03", "1:30.5", "-1:30.5", "1:30.", ".inf", "-.inf", "+.INF", ".Inf",
            ".nan", ".NaN", "-.nan", ".NAN", ".inF", "1e400", "1.0e+400", "0.1", "1.7976931348623157e+308",
            "5e-324", "1.0e+16", "1.0e+15", "0.00001", "123456789.123456789",
            "2024-02-01", "2024-2-1", "2024-02-30", "2024-02-29", "2023-02-29", "0000-01-01", "2024-13-01",
            "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.1Z",
            "2001-12-14 21:59:43.10", "2002-12-14", "2024-01-01 10:00:00 +23:59", "2024-01-01 10:00:00 +24",
            "2024-01-01 24:00:00", "2024-01-01 1:02:03", "2024-01-01 10:00:00.1234567", "2024-01-01 10:00:00.",
            "2024-1-1 1:00:00", "2024-01-01T10:00:00+01:30", "2024-01-01T10:00:00.000000Z",
            "!!str 123", "!!int '0x10'", "!!int ' 12 '", "!!int '0o17'", "!!int '1e3'", "!!float '1e3'",
            "!!float ' inf'", "!!float 'nan'", "!!float '0x10'", "!!float 1", "!!bool 'YeS'", "!!bool y",
            "!!null x", "!!str", "!!binary aGVsbG8=", "!!binary 'aGVs bG8=x'", "!!binary aGVsbG8", "!!binary a",
            "!!binary ''", "!!timestamp '2024-1-1'", "!!timestamp 2024-01-01 1:02:03", "! 123", "! '123'",
            "'yes'", "\"1.5\"", "|\n  text\n", "!!int {=: 12}", "!!str {=: 0x1F}", "!!set {a, b}",
            "!!omap [{a: 1}, {a: 2}]", "!!pairs [{a: 1}, {b: [1]}]", "!!map [1]", "!!seq {a: 1}", "!!omap [a]",
            "!Ref x", "!!python/object:os.system x", "!<tag:yaml.org,2002:int> '7'", "'a' 'b'",
            "{1: a, true: b, 1.0: c}", "{.nan: a, .nan: b}", "{0.5: x, 1e16: y, 10000000000000000.0: z}",
            "{null: a, ~: b}", "{2024-02-01: d}", "{!!binary aGk=: x}", "{[1]: a}", "{{a: 1}: b}",
            "{9223372036854775808: a, 9223372036854775808.0: b}", "{e\u{301}: 1, \u{e9}: 2}",
        ]
        let texts = scalars.map { "v: \($0)\n" }
        let reference = try PyYAMLOracle.load(texts: texts)
        var problems: [String] = []
        for (scalar, (text, expected)) in zip(scalars, zip(texts, reference)) {
            let ours: Result<YAMLNode, ConfigError> = Result { () throws(ConfigError) in
                try YAMLLoader.load(Array(text.utf8), file: "t.yaml")
            }
            switch (expected, ours) {
            case (.accepted(let json), .success(let node)):
                if node.json != json { problems.append("\(scalar): ours \(node.json.serialized()), PyYAML \(json.serialized())") }
            case (.accepted(let json), .failure(let error)):
                problems.append("\(scalar): PyYAML gives \(json.serialized()), we fail: \(error)")
            case (.rejected(let why), .success(let node)):
                problems.append("\(scalar): PyYAML fails (\(why)), we give \(node.json.serialized())")
            case (.rejected, .failure(let error)):
                if error.location == nil { problems.append("\(scalar): error without location: \(error)") }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.joined(separator: "\n"))")
    }
}
