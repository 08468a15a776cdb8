/// A JSON value as it travels on the wire, in payload files and in reports.
///
/// Objects keep their members sorted by key (``JSONObject``), so every rendering is byte-stable across runs.
///
/// ```swift
/// let body: JSONValue = ["name": "openai-default", "priority": 0]
/// print(body.serialized())   // {"name":"openai-default","priority":0}
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }

    /// The JSON type name used in validation messages ("string", "integer", …).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Serialising

extension JSONValue {
    /// Compact JSON with sorted object keys.
    public func serialized() -> String {
        var out = TextBuffer(capacity: 64)
        write(to: &out, pretty: false, level: 0)
        return out.string
    }

    /// Indented JSON (two spaces) with sorted object keys and a trailing newline: the form of every file we write.
    public func prettyPrinted() -> String {
        var out = TextBuffer()
        writePretty(to: &out)
        out.append(byte: UInt8(ascii: "\n"))
        return out.string
    }

    /// Appends the indented form (without the trailing newline) as if the value were nested `level` deep: a file
    /// can write a large array one element at a time with `level: 1`.
    public func writePretty(to out: inout TextBuffer, level: Int = 0) {
        write(to: &out, pretty: true, level: level)
    }

    private func write(to out: inout TextBuffer, pretty: Bool, level: Int) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(i)
        case .double(let d): out.append(JSONValue.format(d))
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out.append("[]"); return }
            out.append(byte: UInt8(ascii: "["))
            // Through the buffer: each item is read in place, not copied (retained and released) first.
            items.withUnsafeBufferPointer { items in
                for n in items.indices {
                    if n > 0 { out.append(byte: UInt8(ascii: ",")) }
                    JSONValue.newline(&out, pretty, level + 1)
                    items[n].write(to: &out, pretty: pretty, level: level + 1)
                }
            }
            JSONValue.newline(&out, pretty, level)
            out.append(byte: UInt8(ascii: "]"))
        case .object(let fields):
            if fields.isEmpty { out.append("{}"); return }
            out.append(byte: UInt8(ascii: "{"))
            fields.members.withUnsafeBufferPointer { members in
                for n in members.indices {
                    if n > 0 { out.append(byte: UInt8(ascii: ",")) }
                    JSONValue.newline(&out, pretty, level + 1)
                    JSONValue.writeString(members[n].key, to: &out)
                    out.append(pretty ? ": " : ":")
                    members[n].value.write(to: &out, pretty: pretty, level: level + 1)
                }
            }
            JSONValue.newline(&out, pretty, level)
            out.append(byte: UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout TextBuffer, _ pretty: Bool, _ level: Int) {
        guard pretty else { return }
        out.append(byte: UInt8(ascii: "\n"))
        out.appendSpaces(2 * level)
    }

    static func format(_ d: Double) -> String {
        d.isFinite ? "\(d)" : "null"
    }

    /// A JSON string literal. Works on UTF-8 bytes: every character that needs an escape is a single ASCII byte,
    /// and everything else (multi-byte characters included) is copied as it is, in runs.
    static func writeString(_ s: String, to out: inout TextBuffer) {
        out.append(byte: UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                if i > runStart { out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append("\\\"")
                case UInt8(ascii: "\\"): out.append("\\\\")
                case UInt8(ascii: "\n"): out.append("\\n")
                case UInt8(ascii: "\r"): out.append("\\r")
                case UInt8(ascii: "\t"): out.append("\\t")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append("\\u00")
                    out.append(byte: hex[Int(b >> 4)])
                    out.append(byte: hex[Int(b & 0xF)])
                }
            }
            if runStart < bytes.count { out.append(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(byte: UInt8(ascii: "\""))
    }
}

// MARK: - Parsing

/// A JSON text that could not be parsed; `offset` is the byte offset of the problem.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Parses a complete JSON text (RFC 8259). Nesting deeper than 512 levels is rejected.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected trailing characters") }
        return value
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let lit = Array(literal.utf8)
        guard index + lit.count <= bytes.count, Array(bytes[index..<index + lit.count]) == lit else {
            throw error("expected \(literal)")
        }
        index += lit.count
        return value
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < 512 else { throw error("nesting too deep") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var fields: [(key: String, value: JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                skipSpace()
                fields.append((key: key, value: try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end of input") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(JSONObject(fields)) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end of input") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try number()
        }
    }

    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count {
            let c = bytes[index]
            if c >= 0x30 && c <= 0x39 { index += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                || (c == UInt8(ascii: "-") && index > start)
            {
                isInteger = false
                index += 1
                continue
            }
            break
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if text.isEmpty || text == "-" { throw JSONParseError(offset: start, reason: "unexpected character") }
        if isInteger, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { throw JSONParseError(offset: start, reason: "invalid number '\(text)'") }
        return .double(d)
    }

    mutating func string() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var result = ""
        var runStart = index
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                if index > runStart { result.append(String(decoding: bytes[runStart..<index], as: UTF8.self)) }
            }
            if c == UInt8(ascii: "\"") {
                index += 1
                return result
            }
            if c < 0x20 { throw error("control character in string") }
            if c == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): result.append("\"")
                case UInt8(ascii: "\\"): result.append("\\")
                case UInt8(ascii: "/"): result.append("/")
                case UInt8(ascii: "b"): result.append("\u{08}")
                case UInt8(ascii: "f"): result.append("\u{0C}")
                case UInt8(ascii: "n"): result.append("\n")
                case UInt8(ascii: "r"): result.append("\r")
                case UInt8(ascii: "t"): result.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    result.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw error("invalid escape")
                }
                runStart = index
                continue
            }
            index += 1
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape") }
        index += 4
        return v
    }
}
