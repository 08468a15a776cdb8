/// One value of a YAML document, typed as PyYAML's `yaml.safe_load` types it (YAML 1.1), with the place it starts.
///
/// Mappings keep their keys in Python dict order after `<<` merges and duplicate keys are resolved (a repeated key
/// keeps its first position and its last value). `!!set` becomes a mapping whose values are null; `!!omap` and
/// `!!pairs` become a list of two-item lists, as `json.dumps` shows Python's list of tuples.
///
/// ```swift
/// let root = try YAMLLoader.load(Array("model_list:\n  - model_name: gpt-4o\n    rpm: 10\n".utf8), file: "config.yaml")
/// let first = root["model_list"]                 // a .sequence node at config.yaml:2:3
/// print(root.json)                               // {"model_list": [{"model_name": "gpt-4o", "rpm": 10}]}
/// ```
public struct YAMLNode: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int)
        /// An integer beyond `Int`, as decimal text ("-" then digits).
        case bigInt(String)
        case float(Double)
        case string(String)
        /// A date, as Python's `str(date)`: "2024-02-01".
        case date(String)
        /// A date and time, as Python's `datetime.isoformat()`: "2024-02-01T10:20:30.500000+05:30".
        case timestamp(String)
        case binary([UInt8])
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    // Declared in this order so that the flag fills the padding after `value` (a node is 32 bytes, not 40).
    public let value: Value
    /// True for a quoted or block scalar, which stays a string unless a tag says otherwise.
    public let wasQuoted: Bool
    /// Where the node starts (for an alias: where the alias is written).
    public let location: SourceLocation

    public init(value: Value, location: SourceLocation, wasQuoted: Bool) {
        self.value = value
        self.location = location
        self.wasQuoted = wasQuoted
    }

    /// The value of a string key in a mapping; nil for a missing key or a node that is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        for pair in pairs.reversed() {
            if case .string(let k) = pair.key.value, k.utf8.elementsEqual(key.utf8) { return pair.value }
        }
        return nil
    }

    /// A scalar as Python's `str()` prints it ("True", "1", "None", "2024-02-01", "1e+16"); a string is itself;
    /// a collection is "".
    public var scalarText: String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let digits): return digits
        case .float(let d): return YAMLNode.pythonRepr(d)
        case .string(let s): return s
        case .date(let d): return d
        case .timestamp(let iso): return YAMLNode.pythonDateTimeText(iso)
        case .binary(let bytes): return YAMLNode.pythonBytesRepr(bytes)
        case .sequence, .mapping: return ""
        }
    }

    /// The kind of value, for messages: "mapping", "list", "string", "integer", "float", "boolean", "null", "date",
    /// "timestamp" or "binary".
    public var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .bigInt: return "integer"
        case .float: return "float"
        case .string: return "string"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .binary: return "binary"
        case .sequence: return "list"
        case .mapping: return "mapping"
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits, exponent below 1e-4 and from 1e16 ("1e+16", "1e-05").
    /// Swift's `description` follows the same rules; only the non-finite spellings differ.
    static func pythonRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }

    /// `str(datetime)` is `isoformat()` with a space between the date and the time.
    static func pythonDateTimeText(_ iso: String) -> String {
        var utf8 = Array(iso.utf8)
        if utf8.count > 10, utf8[10] == UInt8(ascii: "T") { utf8[10] = UInt8(ascii: " ") }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Python's `repr(bytes)`: `b'...'` with `\x..` escapes, double quotes when the bytes hold `'` but no `"`.
    static func pythonBytesRepr(_ bytes: [UInt8]) -> String {
        let quote: UInt8 = bytes.contains(0x27) && !bytes.contains(0x22) ? 0x22 : 0x27
        var out: [UInt8] = [UInt8(ascii: "b"), quote]
        let hex = Array("0123456789abcdef".utf8)
        for b in bytes {
            switch b {
            case quote, UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), b]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x20..<0x7F: out.append(b)
            default: out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        out.append(quote)
        return String(decoding: out, as: UTF8.self)
    }
}

/// One key and its value in a ``YAMLNode`` mapping.
///
/// ```swift
/// if case .mapping(let pairs) = node.value { for pair in pairs { print(pair.key.scalarText, pair.value.kindName) } }
/// ```
public struct YAMLPair: Sendable, Hashable {
    public let key: YAMLNode
    public let value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
