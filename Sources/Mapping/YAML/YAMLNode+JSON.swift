import SynapseContract

extension YAMLNode {
    /// The JSON form: what `json.dumps(yaml.safe_load(text), default=str)` gives, with these choices where Python
    /// has none or fails: NaN and ±infinity become null; dates and timestamps are their `str()` text (also as keys);
    /// binary is base64 (also as keys); an integer beyond `Int` becomes a double (JSONValue has no big integers).
    /// Keys are converted as `json.dumps` does: `1` → "1", `true` → "true", `null` → "null", `1.5` → "1.5",
    /// `.inf` → "Infinity"; when two keys become the same text, the later one wins.
    ///
    /// ```swift
    /// try YAMLLoader.load(Array("{1: a, off: 2024-02-01, 1.0: b}".utf8), file: "x.yaml").json
    /// // ["1": "b", "false": "2024-02-01"]   (1 and 1.0 are one Python key)
    /// ```
    public var json: JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let digits): return .double(Double(digits) ?? .nan)
        case .float(let d): return d.isFinite ? .double(d) : .null
        case .string(let s): return .string(s)
        case .date, .timestamp: return .string(scalarText)
        case .binary(let bytes): return .string(YAMLBase64.encode(bytes))
        case .sequence(let items): return .array(items.map(\.json))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(pairs.count)
            for pair in pairs { object[pair.key.jsonKey] = pair.value.json }
            return .object(object)
        }
    }

    /// A key as `json.dumps` writes it.
    private var jsonKey: String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .float(let d) where d.isNaN: return "NaN"
        case .float(let d) where d.isInfinite: return d < 0 ? "-Infinity" : "Infinity"
        case .binary(let bytes): return YAMLBase64.encode(bytes)
        default: return scalarText
        }
    }
}
