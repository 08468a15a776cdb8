import Mapping
import Testing

/// Input that LiteLLM could not load (or that is hostile) fails with a located ConfigError, never a crash or hang.
@Suite struct YAMLErrorTests {
    static func error(_ bytes: [UInt8], limits: YAMLLimits = .default) -> ConfigError? {
        do {
            _ = try YAMLLoader.load(bytes, file: "config.yaml", limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func error(_ text: String) -> ConfigError? { error(Array(text.utf8)) }

    static func place(_ error: ConfigError?) -> String? {
        error?.location.map { "\($0.line):\($0.column)" }
    }

    @Test func syntaxErrorsAreLocatedWithAdvice() {
        let e = Self.error("model_list:\n  - model_name: a\n    litellm_params: model: x\n")
        #expect(Self.place(e) == "3:26")
        #expect(e?.description.hasPrefix("config.yaml:3:26: mapping values are not allowed in this context") == true)
        #expect(e?.hint.contains("indentation") == true)

        let tab = Self.error("a:\n\tb: 1\n")
        #expect(tab?.location != nil)
        #expect(tab?.hint.contains("tabs") == true)

        let unclosed = Self.error("a: \"open\n")
        #expect(Self.place(unclosed) == "2:1")
    }

    @Test func refusedTags() {
        let e = Self.error("a:\n  key: !Ref secret\n")
        #expect(Self.place(e) == "2:8")
        #expect(e?.message == "could not determine a constructor for the tag '!Ref'")
        #expect(Self.place(Self.error("x: !!python/object:os.system {}\n")) == "1:4")
        #expect(Self.place(Self.error("x: [!foo {a: 1}]\n")) == "1:5")
        #expect(Self.place(Self.error("x: =\n")) == "1:4")
        #expect(Self.place(Self.error("x: <<\n")) == "1:4")
        #expect(Self.place(Self.error("x: !!map [1]\n")) == "1:4")
        #expect(Self.place(Self.error("x: !!omap [{a: 1, b: 2}]\n")) == "1:12")
    }

    @Test func valuesPythonCannotConstruct() {
        #expect(Self.place(Self.error("d: 2024-02-30\n")) == "1:4")
        #expect(Self.error("d: 2024-02-30\n")?.message.contains("day is out of range for month") == true)
        #expect(Self.place(Self.error("n: 0b_\n")) == "1:4")
        #expect(Self.place(Self.error("b: !!binary a\n")) == "1:4")
        #expect(Self.place(Self.error("b: !!bool maybe\n")) == "1:4")
    }

    @Test func aliasAndAnchorProblems() {
        #expect(Self.place(Self.error("a: *missing\n")) == "1:4")
        let duplicate = Self.error("a: &x 1\nb: &x 2\n")
        #expect(Self.place(duplicate) == "2:4")
        #expect(duplicate?.message.contains("first occurrence at 1:4") == true)
        #expect(Self.place(Self.error("a: &x [*x]\n")) == "1:8")
    }

    @Test func mergeAndKeyProblems() {
        #expect(Self.place(Self.error("a: {<<: 1}\n")) == "1:9")
        #expect(Self.place(Self.error("a: {<<: [{b: 1}, 2]}\n")) == "1:18")
        let unhashable = Self.error("? [1]\n: a\n")
        #expect(Self.place(unhashable) == "1:3")
        #expect(unhashable?.message.hasPrefix("found unhashable key") == true)
    }

    @Test func secondDocumentIsRefused() {
        let e = Self.error("a: 1\n---\nb: 2\n")
        #expect(Self.place(e) == "2:1")
        #expect(e?.message.hasPrefix("expected a single document in the stream") == true)
        #expect(Self.error("a: 1\n...\n") == nil)
    }

    @Test func binaryAndBadEncodings() {
        let nul = Self.error([0x61, 0x3A, 0x20, 0x00, 0x62])
        #expect(Self.place(nul) == "1:4")
        #expect(nul?.message.contains("NUL") == true)
        let invalidUTF8 = Self.error(Array("a: ok\nb: ".utf8) + [0xC3, 0x28])
        #expect(Self.place(invalidUTF8) == "2:4")
        #expect(invalidUTF8?.hint.contains("UTF-8") == true)
        // LiteLLM reads the file as UTF-8, so UTF-16 (with its byte order mark) is refused.
        #expect(Self.error([0xFF, 0xFE] + Array("a: 1".utf8).flatMap { [$0, 0] })?.location != nil)
        #expect(Self.error((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })?.location != nil)
    }

    @Test func aliasBombIsRefusedQuickly() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...12 {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(previous)]\n"
        }
        let clock = ContinuousClock()
        var e: ConfigError?
        let elapsed = clock.measure { e = Self.error(text) }
        #expect(e?.message.contains("aliases are expanded") == true)
        #expect(Self.place(e)?.hasPrefix("7:") == true)  // 10^6 nodes are passed on line 7
        #expect(elapsed < .seconds(2))
    }

    @Test func deepNestingIsRefused() {
        let e = Self.error(String(repeating: "[", count: 300) + String(repeating: "]", count: 300))
        #expect(Self.place(e) == "1:257")
        #expect(e?.message.contains("256 levels") == true)
        // Through aliases too: each alias counts as the nesting it expands to.
        let viaAlias = "a: &a " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            + "\nb: " + String(repeating: "[", count: 100) + "*a" + String(repeating: "]", count: 100) + "\n"
        #expect(Self.error(viaAlias)?.message.contains("levels") == true)
    }

    @Test func tooLargeInput() {
        let limits = YAMLLimits(maxBytes: 10, maxDepth: 256, maxNodes: 100)
        let e = Self.error(Array("a: 12345678901\n".utf8), limits: limits)
        #expect(e?.message.contains("more than the 10 bytes allowed") == true)
        #expect(Self.place(e) == "1:1")
    }
}
