import Mapping
import SynapseContract
import Testing

/// Anchors, aliases, merge keys, duplicate keys and locations, as PyYAML 6's safe_load builds them (each
/// expectation checked with python3).
@Suite struct YAMLStructureTests {
    @Test("a node is 32 bytes, as YAMLNode's layout comment says: a large config has hundreds of thousands")
    func nodeLayout() {
        #expect(MemoryLayout<YAMLNode>.stride == 32)
    }

    @Test func mergeKeys() throws {
        let doc = try loadYAML("""
            base: &base {a: 1, b: 1}
            over: &over {b: 2, c: 2}
            m1:
              <<: *base
              a: 0
            m2:
              <<: [*over, *base]
            m3:
              a: 9
              <<: *base
            m4:
              <<: {x: 1}
              <<: {x: 2, y: 2}
            nested:
              <<: {<<: *over, d: 4}
              e: 5
            """)
        // The mapping's own keys win, wherever the merge key stands.
        #expect(doc["m1"]?.json == ["a": 0, "b": 1])
        #expect(doc["m3"]?.json == ["a": 9, "b": 1])
        // In a merge list, earlier mappings win.
        #expect(doc["m2"]?.json == ["a": 1, "b": 2, "c": 2])
        // Two merge keys: the later one's values win.
        #expect(doc["m4"]?.json == ["x": 2, "y": 2])
        #expect(doc["nested"]?.json == ["b": 2, "c": 2, "d": 4, "e": 5])
        // Key order is the dict's: first insertion, merged keys first.
        #expect(doc["m2"]?.mappingValue?.map(\.key.stringValue) == ["a", "b", "c"])
        #expect(doc["m3"]?.mappingValue?.map(\.key.stringValue) == ["a", "b"])
        #expect(doc["nested"]?.mappingValue?.map(\.key.stringValue) == ["b", "c", "d", "e"])
    }

    @Test func mergeErrors() throws {
        let scalar = yamlError("a: {<<: 1}")
        #expect(place(scalar) == "1:9")
        #expect(scalar?.message.contains("merge") == true)
        #expect(place(yamlError("a: {<<: [1]}")) == "1:10")
        #expect(place(yamlError("a: &x {b: 1}\n<<: [*x, 2]")) == "2:10")
        // `<<` anywhere but as a key cannot be constructed.
        #expect(place(yamlError("a: <<")) == "1:4")
        #expect(try loadYAML("a: '<<'")["a"]?.value == .string("<<"))
        #expect(try loadYAML("'<<': 1")["<<"]?.value == .int(1))
    }

    @Test func duplicateKeysKeepTheFirstPlaceAndTheLastValue() throws {
        let doc = try loadYAML("a: 1\nb: 2\na: 3\n")
        #expect(doc.mappingValue?.map(\.key.stringValue) == ["a", "b"])
        #expect(doc["a"]?.value == .int(3))
        #expect(doc.mappingValue?.first?.key.location.line == 1)
        #expect(doc["a"]?.location.line == 3)
    }

    @Test func largeMappingsDeduplicateToo() throws {
        var text = ""
        for i in 0..<40 { text += "k\(i): \(i)\n" }
        text += "k7: last\n1: one\n1.0: float one\n"
        let doc = try loadYAML(text)
        #expect(doc.mappingValue?.count == 41)
        #expect(doc["k7"]?.value == .string("last"))
        #expect(doc.json["1"] == "float one")
    }

    @Test("keys that differ only in Unicode normalization, two keys for PyYAML, are refused with both spellings")
    func normalizationTwinsAreRefused() {
        // é as one code point and as e + combining acute; K and the Kelvin sign. Small and large mappings (a large
        // one finds keys through a dictionary).
        var large = ""
        for i in 0..<20 { large += "k\(i): \(i)\n" }
        for (text, line) in [
            ("e\u{301}: 1\n\u{e9}: 2\n", 2), ("{K: 1, \u{212A}: 2}\n", 1), (large + "e\u{301}: 1\n\u{e9}: 2\n", 22),
        ] {
            let error = yamlError(text)
            #expect(error?.location?.line == line, "\(text.unicodeScalars.map(\.value)): \(String(describing: error))")
            #expect(error?.message.contains("only in Unicode normalization") == true)
        }
        #expect(yamlError("e\u{301}: 1\n\u{e9}: 2\n")?.message == """
            the key "\u{e9}" (U+00E9) differs from the key "e\u{301}" at line 1 (U+0065 U+0301) only in Unicode \
            normalization: LiteLLM reads them as two keys, this tool cannot
            """)
        // The same spelling twice is an ordinary duplicate: the last value wins.
        #expect((try? loadYAML("\u{e9}: 1\n\u{e9}: 2\n"))?["\u{e9}"]?.value == .int(2))
    }

    @Test func aliasesShareValuesAndHaveTheirOwnPlace() throws {
        let doc = try loadYAML("""
            model_list:
              - model_name: gpt
                litellm_params: &p
                  model: openai/gpt-4o
                  rpm: 10
              - model_name: other
                litellm_params: *p
            """)
        let entries = try #require(doc["model_list"]?.sequenceValue)
        let first = try #require(entries[0]["litellm_params"])
        let second = try #require(entries[1]["litellm_params"])
        #expect(first.value == second.value)
        #expect(first.location == SourceLocation(file: "t.yaml", line: 3, column: 21))
        #expect(second.location == SourceLocation(file: "t.yaml", line: 7, column: 21))
        // Inside the alias, nodes keep the place where they were written.
        #expect(second["model"]?.location == SourceLocation(file: "t.yaml", line: 4, column: 14))
        #expect(doc["model_list"]?.json == [
            ["model_name": "gpt", "litellm_params": ["model": "openai/gpt-4o", "rpm": 10]],
            ["model_name": "other", "litellm_params": ["model": "openai/gpt-4o", "rpm": 10]],
        ])
        // A scalar alias keeps its quoting.
        let scalars = try loadYAML("a: &s '1'\nb: *s\n")
        #expect(scalars["b"]?.value == .string("1"))
        #expect(scalars["b"]?.wasQuoted == true)
    }

    @Test func locationsAreLineAndColumnOfTheNodeStart() throws {
        let doc = try loadYAML("""
            # comment
            general_settings:
              master_key: "sk-1234"   # quoted
              alerting: [slack, {x: 1}]
            """)
        #expect(doc.location == SourceLocation(file: "t.yaml", line: 2, column: 1))
        let settings = try #require(doc["general_settings"])
        #expect(settings.location.description == "t.yaml:3:3")
        #expect(settings["master_key"]?.location.description == "t.yaml:3:15")
        #expect(settings["master_key"]?.wasQuoted == true)
        #expect(settings["alerting"]?.location.description == "t.yaml:4:13")
        #expect(settings["alerting"]?.sequenceValue?[1].location.description == "t.yaml:4:21")
        #expect(settings.mappingValue?[1].key.location.description == "t.yaml:4:3")
    }

    @Test func emptyDocumentsAreNull() throws {
        for text in ["", "\n\n", "# only a comment\n", "---\n", "--- \n...\n", "\u{FEFF}"] {
            #expect(try loadYAML(text).value == .null, "\(text.debugDescription)")
        }
        #expect(try loadYAML("").location.description == "t.yaml:1:1")
    }

    @Test func oneExplicitDocumentLoads() throws {
        #expect(try loadYAML("%YAML 1.1\n---\na: 1\n...\n").json == ["a": 1])
        #expect(try loadYAML("--- !!map\na: 1\n").json == ["a": 1])
        // PyYAML takes any %YAML 1.x (libyaml alone only 1.1 and 1.2), and no 2.x.
        for version in ["1.0", "1.2", "1.3", "1.10"] {
            #expect(try loadYAML("%YAML \(version) # c\n---\na: 1\n").json == ["a": 1], "\(version)")
        }
        #expect(place(yamlError("%YAML 2.0\n---\na: 1\n")) == "1:1")
    }

    @Test func byteOrderMarks() throws {
        // At the start it is skipped; anywhere else PyYAML keeps it as an ordinary character.
        #expect(try YAMLLoader.load([0xEF, 0xBB, 0xBF] + Array("a: 1".utf8), file: "t.yaml").json == ["a": 1])
        let inside = try loadYAML("a: 1\n\u{FEFF}b: 2\n")
        #expect(inside.json == ["a": 1, "\u{FEFF}b": 2])
    }

    @Test func lineBreakForms() throws {
        #expect(try YAMLLoader.load(Array("a: 1\r\nb: 'x\r\n  y'\r\n".utf8), file: "t.yaml").json == ["a": 1, "b": "x y"])
        #expect(try YAMLLoader.load(Array("a: 1\rb: 2\r".utf8), file: "t.yaml").json == ["a": 1, "b": 2])
    }

    @Test func convenienceAccessors() throws {
        let doc = try loadYAML("s: x\ni: 3\nf: 2.5\nb: on\nn: ~\nl: [1]\nm: {k: v}\n")
        #expect(doc["s"]?.stringValue == "x")
        #expect(doc["i"]?.intValue == 3)
        #expect(doc["i"]?.doubleValue == 3)
        #expect(doc["f"]?.doubleValue == 2.5)
        #expect(doc["b"]?.boolValue == true)
        #expect(doc["n"]?.isNull == true)
        #expect(doc["l"]?.sequenceValue?.count == 1)
        #expect(doc["m"]?["k"]?.stringValue == "v")
        #expect(doc["missing"] == nil)
        #expect(doc["i"]?.typeName == "int")
        #expect(doc["m"]?.typeName == "dict")
    }
}
