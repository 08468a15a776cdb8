import SynapseContract

/// One value of a YAML document as PyYAML's `yaml.safe_load` (what LiteLLM uses) types it, with where it starts.
///
/// Plain scalars are typed with PyYAML's YAML 1.1 rules (`yes`/`off` are booleans, `017` is octal, `1e3` is a
/// string, `2024-02-01` is a date); quoted and block scalars stay strings. Mappings keep PyYAML's dict semantics:
/// `<<` merge keys are applied, a repeated key keeps its first place and takes the last value, and keys equal in
/// Python (`1`, `1.0`, `true`) are one key.
public struct YAMLNode: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int)
        /// An integer beyond `Int`, as decimal text (`-123456789012345678901234567890`).
        case bigInt(String)
        case float(Double)
        case string(String)
        /// `!!timestamp` without a time: `2024-02-01`.
        case date(String)
        /// `!!timestamp` with a time, as Python's `datetime.isoformat()`: `2001-12-14T21:59:43.100000-05:00`
        /// (no offset when the YAML had none).
        case timestamp(String)
        case binary([UInt8])
        /// Also `!!omap` and `!!pairs`, as a sequence of two-item `[key, value]` sequences (Python's list of tuples).
        case sequence([YAMLNode])
        /// Ordered as Python's dict; also `!!set`, whose values are all null.
        case mapping([YAMLPair])
    }

    // Declared in this order so a node packs into 32 bytes (value 17, flag 1, location 12): a large config has
    // hundreds of thousands of nodes.
    public let value: Value
    /// A quoted or block scalar: the user wrote a string, whatever it looks like.
    public let wasQuoted: Bool
    /// Where the node starts (for an alias: where the alias is).
    public let location: SourceLocation

    public init(value: Value, location: SourceLocation, wasQuoted: Bool = false) {
        self.value = value
        self.location = location
        self.wasQuoted = wasQuoted
    }
}

public struct YAMLPair: Sendable, Hashable {
    public let key: YAMLNode
    public let value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// Bounds that keep a hostile or broken file from exhausting the process.
public struct YAMLLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings, counted after alias expansion.
    public var maxDepth: Int
    /// Most nodes the document may have once every alias is expanded (a "billion laughs" guard).
    public var maxNodes: Int

    public init(maxBytes: Int = 32 << 20, maxDepth: Int = 256, maxNodes: Int = 2_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    public static let `default` = YAMLLimits()
}

// MARK: - Convenience

extension YAMLNode {
    /// The value of the string key `key` in a mapping, or nil.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        return pairs.first { $0.key.value == .string(key) }?.value
    }

    public var stringValue: String? { if case .string(let s) = value { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = value { return b }; return nil }
    public var intValue: Int? { if case .int(let i) = value { return i }; return nil }
    /// An int or a float as a Double.
    public var doubleValue: Double? {
        switch value {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }
    public var sequenceValue: [YAMLNode]? { if case .sequence(let items) = value { return items }; return nil }
    public var mappingValue: [YAMLPair]? { if case .mapping(let pairs) = value { return pairs }; return nil }
    public var isNull: Bool { value == .null }

    /// The Python type name, for messages ("str", "int", "dict", …): what a LiteLLM user sees in its errors.
    public var typeName: String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .date: return "date"
        case .timestamp: return "datetime"
        case .binary: return "bytes"
        case .sequence: return "list"
        case .mapping: return "dict"
        }
    }
}

extension YAMLNode {
    /// The value as Python's `str()` prints it (`True`, `None`, `1.5`, `2024-02-01`): how LiteLLM sees a scalar used
    /// as text, and how keys read in messages. Binary values are base64, as `inspect` shows them (Python would print
    /// `b'…'`). Empty for lists and mappings.
    public var scalarText: String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            return d.description
        case .sequence, .mapping: return ""
        default: return jsonKey
        }
    }

    /// Words for messages: "a mapping", "a list", … (used as "found a \(kindName)").
    public var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .bigInt: return "integer"
        case .float: return "float"
        case .string: return "string"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .binary: return "binary value"
        case .sequence: return "list"
        case .mapping: return "mapping"
        }
    }
}

// MARK: - JSON

extension YAMLNode {
    /// The value as `json.dumps` would write what `yaml.safe_load` returned (see `scripts/pyyaml_to_json.py`):
    /// - keys become strings as `json.dumps` makes them: `1` → `"1"`, `1.5` → `"1.5"`, `true` → `"true"`,
    ///   null → `"null"`; when two keys become the same string the later one wins;
    /// - a date is its ISO text (`2024-02-01`); a timestamp is Python's `str(datetime)`
    ///   (`2001-12-14 21:59:43.100000-05:00`, what `default=str` gives);
    /// - binary is standard base64; an integer beyond `Int` becomes a double (as a JSON reader reads it);
    /// - NaN and ±infinity become null (JSON has no such numbers);
    /// - `!!set` is an object whose values are null; `!!omap`/`!!pairs` are arrays of `[key, value]` arrays.
    public var json: JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let text): return .double(Double(text) ?? .nan)
        case .float(let d): return d.isFinite ? .double(d) : .null
        case .string(let s): return .string(s)
        case .date(let s): return .string(s)
        case .timestamp(let s): return .string(YAMLNode.pythonStr(ofISOTimestamp: s))
        case .binary(let bytes): return .string(Base64.encode(bytes))
        case .sequence(let items): return .array(items.map(\.json))
        case .mapping(let pairs):
            // A later key that makes the same string wins, as in json.dumps.
            return .object(JSONObject(pairs.map { (key: $0.key.jsonKey, value: $0.value.json) }))
        }
    }

    /// The string `json.dumps` makes of this node used as a dict key.
    public var jsonKey: String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .bigInt(let text): return text
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return d.description  // Swift's shortest round-trip form matches Python's repr(float).
        case .string(let s): return s
        case .date(let s): return s
        case .timestamp(let s): return YAMLNode.pythonStr(ofISOTimestamp: s)
        case .binary(let bytes): return Base64.encode(bytes)
        case .sequence, .mapping: return json.serialized()  // never a dict key: PyYAML rejects unhashable keys
        }
    }

    /// `str(datetime)` from `datetime.isoformat()`: the date/time separator is a space.
    static func pythonStr(ofISOTimestamp iso: String) -> String {
        var utf8 = Array(iso.utf8)
        if utf8.count > 10, utf8[10] == UInt8(ascii: "T") { utf8[10] = UInt8(ascii: " ") }
        return String(decoding: utf8, as: UTF8.self)
    }
}

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
