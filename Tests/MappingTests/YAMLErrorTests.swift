import Foundation
import Mapping
import Testing

/// Inputs yaml.safe_load refuses (checked with python3) are refused here too, with `file:line:col`, what is wrong
/// and what to do; hostile inputs end quickly with a clear error.
@Suite struct YAMLErrorTests {
    @Test func syntaxErrorsArePlacedAndExplained() throws {
        let error = try #require(yamlError("""
            model_list:
             - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
            """))
        #expect(error.description == "t.yaml:3:19: mapping values are not allowed here; check the indentation of this line and quote values that contain ': '")

        let unclosed = yamlError("a:\n  b: \"open\n")
        #expect(place(unclosed) == "3:1")
        #expect(unclosed?.message == "the quoted string that starts at 2:6 is never closed")

        let escape = yamlError(#"field: "kubernetes\.io""#)
        #expect(place(escape) == "1:19")
        #expect(escape?.hint.contains("single quotes") == true)

        let list = yamlError("model_list:\n  - a: 1\n  b: 2\n")
        #expect(place(list) == "3:3")
        #expect(list?.message.contains("the list that starts at 2:3") == true)
    }

    @Test func tabsOnlyWherePyYAMLAllowsThem() throws {
        // Allowed: in quoted strings, in block scalar text, in comments.
        #expect(try loadYAML("a: 'x\ty'\n").json == ["a": "x\ty"])
        #expect(try loadYAML("a: \"x\ty\"\n").json == ["a": "x\ty"])
        #expect(try loadYAML("a: |\n  x\ty\n").json == ["a": "x\ty\n"])
        #expect(try loadYAML("a: b # c\td\n").json == ["a": "b"])
        #expect(try loadYAML("a: | # c\td\n  x\n").json == ["a": "x\n"])
        // Refused (libyaml would accept all of these).
        for (text, at) in [
            ("a:\tb\n", "1:3"), ("a: b\t\n", "1:5"), ("a: b\t# c\n", "1:5"), ("a: 'b'\t\n", "1:7"),
            ("[a,\tb]\n", "1:4"), ("a: b\tc\n", "1:5"), ("a: 1\n \t\n", "2:2"),
        ] {
            let error = yamlError(text)
            #expect(place(error) == at, "\(text.debugDescription)")
            #expect(error?.message.contains("tab") == true)
        }
        #expect(place(yamlError("\tkey: 1\n")) == "1:1")
    }

    @Test func aTabOpeningABlockScalarIsText() throws {
        // libyaml refuses these while it works out the indentation; PyYAML reads the tab as text.
        #expect(try loadYAML("k: |\n  \tdef f():\n  \t\treturn 1\n").json == ["k": "\tdef f():\n\t\treturn 1\n"])
        #expect(try loadYAML("k: >\n  \ta\n  b\n  c\n\n  d\n").json == ["k": "\ta\nb c\nd\n"])
        #expect(try loadYAML("k: >-\n\n  \t\n  x\n").json == ["k": "\n\t\nx"])
        #expect(try loadYAML("k: |2\n  \tx\n").json == ["k": "\tx\n"])
        #expect(try loadYAML("k: |\n  \tx\nj: \"\\t\"\n").json == ["k": "\tx\n", "j": "\t"])
        // Still refused where PyYAML refuses: the tab is left of the block's indentation.
        #expect(place(yamlError("k: |\n    \n  \tx\n")) == "3:3")
    }

    @Test func pyYAMLsStricterScanner() {
        // `|` must be followed by a space or a line break.
        #expect(place(yamlError("a: |# c\n  x\n")) == "1:5")
        #expect(place(yamlError("a: >-\t\n  x\n")) == "1:6")
        // A '?' inside a plain value in a flow collection.
        #expect(place(yamlError("a: [x?y]\n")) == "1:6")
        #expect(place(yamlError("a: {k: v?}\n")) == "1:9")
        #expect(place(yamlError("a: [é, xé?y]\n")) == "1:10")
    }

    @Test func onlyOneDocument() throws {
        let second = try #require(yamlError("a: 1\n---\nb: 2\n"))
        #expect(place(second) == "2:1")
        #expect(second.message.contains("second YAML document"))
        #expect(place(yamlError("a: 1\n...\nb: 2\n")) == "3:1")
        #expect(place(yamlError("---\na: 1\n---\n")) == "3:1")
    }

    @Test func anchorsAndAliases() {
        #expect(place(yamlError("a: *x\n")) == "1:4")
        let duplicate = yamlError("a: &x 1\nb: &x 2\n")
        #expect(place(duplicate) == "2:4")
        #expect(duplicate?.message.contains("first at 1:4") == true)
        let recursive = yamlError("a: &x [1, *x]\n")
        #expect(place(recursive) == "1:11")
        #expect(recursive?.message.contains("recursive") == true)
    }

    @Test func tagsSafeLoadCannotConstruct() {
        for (text, tag) in [
            ("a: !Ref foo", "!Ref"), ("a: !!python/object:os.system x", "!!python/object:os.system"),
            ("a: !!python/tuple [1]", "!!python/tuple"), ("a: !<tag:example.com,2000:x> 1", "!<tag:example.com,2000:x>"),
        ] {
            let error = yamlError(text)
            #expect(place(error) == "1:4", "\(text)")
            #expect(error?.message.contains("unknown tag \(tag)") == true, "\(String(describing: error))")
        }
    }

    @Test func valuesTheirTypeCannotHold() {
        let date = yamlError("a: 2024-02-30")
        #expect(place(date) == "1:4")
        #expect(date?.message.contains("day is out of range") == true)
        #expect(date?.hint.contains("quote it") == true)
        for text in [
            "a: 0x_", "a: 0b_", "a: 0000-01-01", "a: 2024-01-01 25:00:00", "a: 2024-01-01 10:00:00 +24",
            "a: !!int abc", "a: !!int ''", "a: !!bool maybe", "a: !!float x", "a: !!float 0x10", "a: !!binary 'aGVsbG8'",
            "a: !!binary 'é'", "a: !!timestamp x", "a: ! \"true\\n\"", "a: =", "a: !!str [1]", "a: !!seq {b: 1}",
            "a: !!map [1]", "a: !!pairs {a: 1}", "a: !!null [1]",
        ] {
            #expect(place(yamlError(text)) == "1:4", "\(text)")
        }
        // An !!omap item that is not a one-key mapping is placed at the item.
        #expect(place(yamlError("a: !!omap [a]")) == "1:12")
        #expect(place(yamlError("a: !!omap [{a: 1, b: 2}]")) == "1:12")
        #expect(yamlError("a: !!int 12") == nil)
    }

    @Test func unhashableKeys() {
        #expect(place(yamlError("? [1, 2]\n: x\n")) == "1:3")
        #expect(place(yamlError("{[1]: a}")) == "1:2")
        #expect(place(yamlError("{{a: 1}: b}")) == "1:2")
        #expect(yamlError("? !!set {a}\n: x\n")?.message.contains("cannot be a mapping key") == true)
    }

    @Test func notText() throws {
        let nul = try #require(yamlError([0x61, 0x3A, 0x20, 0x00, 0x0A]))
        #expect(place(nul) == "1:4")
        #expect(nul.message.contains("U+0000"))
        let binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0xFF, 0xFE, 0x00, 0x10]
        #expect(yamlError(binary) != nil)
        let invalid = try #require(yamlError([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A]))
        #expect(place(invalid) == "1:4")
        #expect(invalid.hint.contains("UTF-8"))
        let utf16 = try #require(yamlError([0xFF, 0xFE] + Array("a: 1".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        #expect(place(utf16) == "1:1")
        #expect(utf16.message.contains("UTF-16"))
        #expect(place(yamlError("a: \u{07}")) == "1:4")
    }

    @Test func tooLarge() {
        let error = yamlError("a: 123456789", limits: YAMLLimits(maxBytes: 8))
        #expect(error?.message.contains("more than the 8 bytes") == true)
    }

    @Test func tooDeep() {
        let flow = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let error = yamlError(flow)
        #expect(place(error) == "1:257")
        #expect(error?.message.contains("256 levels") == true)

        var block = ""
        for depth in 0..<300 { block += String(repeating: " ", count: depth) + "a:\n" }
        #expect(place(yamlError(block)) == "257:257")

        // 256 levels load.
        let deepest = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(yamlError(deepest) == nil)

        // Depth through aliases counts too.
        let nested = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let viaAlias = "a: &x \(nested)\nb: \(String(repeating: "[", count: 100))*x\(String(repeating: "]", count: 100))\n"
        #expect(yamlError(viaAlias)?.message.contains("with the alias *x expanded") == true)
    }

    @Test func aliasBombsAreRefusedQuickly() throws {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let start = Date()
        let error = try #require(yamlError(text))
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(error.message.contains("more than 2000000 nodes"))
        #expect(place(error) == "7:4")  // g: 10^7 nodes

        // Moderate reuse is fine; a smaller limit is honoured.
        let modest = "d: &d {x: 1}\nl: [*d, *d, *d]\n"
        #expect(try loadYAML(modest)["l"]?.sequenceValue?.count == 3)
        #expect(yamlError(modest, limits: YAMLLimits(maxNodes: 8)) != nil)
    }
}
