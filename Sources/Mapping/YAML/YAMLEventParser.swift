import CYAML

/// Owns one libyaml parser (at a stable address) and the event it fills; frees both in `deinit`.
///
/// The input must stay alive while events are read: use it inside `withUnsafeBufferPointer`.
///
/// ```swift
/// try bytes.withUnsafeBufferPointer { input in
///     let parser = try YAMLEventParser(input: input, file: "config.yaml")
///     repeat { try parser.next() } while parser.event.pointee.type != YAML_STREAM_END_EVENT
/// }
/// ```
final class YAMLEventParser {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    private let input: UnsafeBufferPointer<UInt8>
    private let file: String
    private var initialized = false
    private var holdsEvent = false

    init(input: UnsafeBufferPointer<UInt8>, file: String) throws(ConfigError) {
        self.input = input
        self.file = file
        guard yaml_parser_initialize(parser) == 1 else {
            throw ConfigError("cannot start the YAML parser (out of memory)", at: nil, hint: "free memory and retry")
        }
        initialized = true
        // LiteLLM opens the config as UTF-8 text, so UTF-16 byte order marks are not honoured.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        if let base = input.baseAddress, !input.isEmpty {
            yaml_parser_set_input_string(parser, base, input.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(parser, &empty, 0)
        }
    }

    deinit {
        deleteEvent()
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
        event.deallocate()
    }

    /// Reads the next event into `event` (deleting the previous one).
    func next() throws(ConfigError) {
        deleteEvent()
        guard yaml_parser_parse(parser, event) == 1 else { throw syntaxError() }
        holdsEvent = true
    }

    func deleteEvent() {
        if holdsEvent { yaml_event_delete(event) }
        holdsEvent = false
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// libyaml's error, located, with advice for the usual causes.
    private func syntaxError() -> ConfigError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        if p.error == YAML_READER_ERROR {
            let offset = min(Int(p.problem_offset), input.count)
            let what = problem.contains("control characters") && p.problem_value == 0
                ? "the file contains a NUL byte (binary data?)"
                : "\(problem) (byte offset \(offset), value 0x\(String(UInt32(bitPattern: p.problem_value), radix: 16)))"
            return ConfigError(what, at: location(ofByte: offset), hint: Self.hint(for: problem))
        }
        if p.error == YAML_MEMORY_ERROR {
            return ConfigError("the YAML parser ran out of memory", at: nil, hint: "make the file smaller")
        }
        var message = problem
        if let context = p.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(p.context_mark.line + 1), column \(p.context_mark.column + 1))"
        }
        return ConfigError(message, at: location(p.problem_mark), hint: Self.hint(for: problem))
    }

    /// Line and column (in characters) of a byte offset, for reader errors that libyaml reports as offsets.
    private func location(ofByte offset: Int) -> SourceLocation {
        // libyaml points at the bad byte; a text editor (and Python's decoder) at the character it breaks.
        var offset = offset
        var k = offset - 1
        while k >= 0, offset - k <= 3, input[k] & 0xC0 == 0x80 { k -= 1 }
        if k >= 0, k < offset, input[k] >= 0xC0 {
            let length = input[k] >= 0xF0 ? 4 : input[k] >= 0xE0 ? 3 : 2
            if k + length > offset { offset = k }
        }
        var line = 1
        var column = 1
        for b in input[..<offset] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private static func hint(for problem: String) -> String {
        let advice: [(String, String)] = [
            ("mapping values are not allowed", "check the indentation of this line and quote values that contain ': '"),
            ("could not find expected ':'", "a key needs ': ' after it; check the indentation and close any quotes"),
            ("did not find expected key", "check the indentation: keys of one mapping must line up"),
            ("did not find expected '-' indicator", "check the indentation: items of one list must line up"),
            ("did not find expected node content", "a value is missing here; check for a stray '-', ',' or ':'"),
            ("tab", "indent with spaces, not tabs"),
            ("cannot start any token", "quote values that start with '@', '`' or '%', and indent with spaces, not tabs"),
            ("end of stream", "close the quote or bracket that is still open"),
            ("did not find expected ','", "close the bracket, or quote values that contain ',', ']' or '}'"),
            ("escape", "in double quotes a backslash starts an escape: use single quotes or write '\\\\'"),
            ("control characters", "save the file as UTF-8 text without control characters or NUL bytes"),
            ("UTF-8", "save the file as UTF-8 text"),
            ("Unicode", "save the file as UTF-8 text"),
            ("anchor", "an anchor is '&' followed by a name"),
            ("alias", "an alias is '*' followed by the name of an anchor"),
            ("tag", "check the '!' tag, or quote the value"),
        ]
        return advice.first { problem.contains($0.0) }?.1 ?? "check the YAML syntax here"
    }
}
