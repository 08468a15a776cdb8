import Mapping
import SynapseContract
import Testing

/// Anchors, aliases, merge keys, duplicate and non-string keys, collection tags, locations and the JSON form.
@Suite struct YAMLStructureTests {
    static func load(_ text: String) throws -> YAMLNode {
        try YAMLLoader.load(Array(text.utf8), file: "config.yaml")
    }

    static func keys(_ node: YAMLNode?) -> [String] {
        guard case .mapping(let pairs)? = node?.value else { return [] }
        return pairs.map(\.key.scalarText)
    }

    @Test func aliasesShareTheAnchoredValueAndCarryTheirOwnLocation() throws {
        let root = try Self.load("base: &b\n  rpm: 10\nother: *b\n")
        #expect(root["other"] == YAMLNode(value: root["base"]!.value, location: root["other"]!.location,
                                          wasQuoted: false))
        // A node with an anchor starts at its anchor, as in PyYAML.
        #expect(root["base"]?.location == SourceLocation(file: "config.yaml", line: 1, column: 7))
        #expect(root["other"]?.location == SourceLocation(file: "config.yaml", line: 3, column: 8))
    }

    @Test func mergeKeysFollowPyYAMLPrecedence() throws {
        // Explicit keys win; in a list of merged mappings the earlier one wins; merged keys come first, in
        // PyYAML's order (the list is applied last to first): [('x', 3), ('z', 2), ('y', 1), ('w', 0)].
        let root = try Self.load("""
            a: &a {x: 1, y: 1}
            b: &b {x: 2, z: 2}
            m: {w: 0, <<: [*a, *b], x: 3}
            n: {<<: *b, <<: *a}
            """)
        #expect(Self.keys(root["m"]) == ["x", "z", "y", "w"])
        #expect(root["m"]?["x"]?.value == .int(3))
        #expect(root["m"]?["y"]?.value == .int(1))
        #expect(root["m"]?["z"]?.value == .int(2))
        #expect(root["n"]?["x"]?.value == .int(1))  // the later `<<` wins
    }

    @Test func mergeOfMergedMappingsAndOddlyTaggedSources() throws {
        let root = try Self.load("""
            base: &base {timeout: 30}
            mid: &mid {<<: *base, rpm: 5}
            leaf: {<<: *mid}
            odd: {<<: !!set {a, b}}
            """)
        #expect(root["leaf"]?.json == ["timeout": 30, "rpm": 5])
        #expect(root["odd"]?.json == ["a": nil, "b": nil])
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let root = try Self.load("{a: 1, b: 2, a: 3, 1: x, true: y, 1.0: z}")
        #expect(Self.keys(root) == ["a", "b", "1"])
        #expect(root["a"]?.value == .int(3))
        guard case .mapping(let pairs) = root.value else { return }
        #expect(pairs[2].key.value == .int(1))
        #expect(pairs[2].value.value == .string("z"))
    }

    @Test func nonStringKeysAndTheirJSONForm() throws {
        let root = try Self.load("{1: a, off: b, ~: c, 1.5: d, .inf: e, 2024-02-01: f, 0x10: g}")
        #expect(root["1"] == nil)  // the subscript only finds string keys
        #expect(root.json == ["1": "a", "false": "b", "null": "c", "1.5": "d", "Infinity": "e",
                              "2024-02-01": "f", "16": "g"])
    }

    @Test func stringKeysCompareByCodePoints() throws {
        // "é" precomposed and decomposed are different Python keys (Swift's == would merge them).
        let root = try Self.load("{\"\\u00e9\": 1, \"e\\u0301\": 2}")
        #expect(Self.keys(root).count == 2)
    }

    @Test func collectionTags() throws {
        let root = try Self.load("""
            set: !!set {a, b}
            omap: !!omap [{x: 1}, {x: 2}]
            pairs: !!pairs [{k: [1]}]
            seq: !!seq [1]
            map: !!map {a: 1}
            scalar_through_value_key: !!int {=: "12"}
            """)
        #expect(root["set"]?.json == ["a": nil, "b": nil])
        #expect(root["omap"]?.json == [["x", 1], ["x", 2]])
        #expect(root["pairs"]?.json == [["k", [1]]])
        #expect(root["seq"]?.json == [1])
        #expect(root["map"]?.json == ["a": 1])
        #expect(root["scalar_through_value_key"]?.value == .int(12))
    }

    @Test func equalsSignAsAKeyIsText() throws {
        #expect(try Self.load("{=: 1}").json == ["=": 1])
    }

    @Test func jsonConventions() throws {
        let root = try Self.load("""
            nan: .nan
            inf: -.inf
            big: 123456789012345678901234567890
            when: 2024-02-01 10:20:30.5Z
            bytes: !!binary aGVsbG8=
            """)
        #expect(root.json == [
            "nan": nil, "inf": nil, "big": .double(1.2345678901234568e29),
            "when": "2024-02-01 10:20:30.500000+00:00", "bytes": "aGVsbG8=",
        ])
    }

    @Test func emptyInputsAreNull() throws {
        for text in ["", "# only a comment\n"] {
            let root = try Self.load(text)
            #expect(root.value == .null, "\(text.debugDescription)")
            #expect(root.location == SourceLocation(file: "config.yaml", line: 1, column: 1))
        }
        #expect(try Self.load("---\n").value == .null)
        #expect(try Self.load("---\n...\n").value == .null)
    }

    @Test func byteOrderMarkIsSkippedLikeLiteLLM() throws {
        let root = try YAMLLoader.load([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "config.yaml")
        #expect(root.json == ["a": 1])
    }

    @Test func nestingUpToTheLimitLoads() throws {
        let depth = 250
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let root = try Self.load(text)
        var node = root
        var levels = 1
        while case .sequence(let items) = node.value, let first = items.first {
            node = first
            levels += 1
        }
        #expect(levels == depth)
    }
}
