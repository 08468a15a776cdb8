/// The contract's JSON schemas (embedded from `synapse-gateway.openapi.yaml`) and a validator for the subset of
/// JSON Schema they use.
///
/// Supported keywords: `type` (a name or a list of names), `required`, `properties`, `items`, `enum`, `format`
/// (`uuid`, `date-time`; others are not checked), `maxLength`, `minLength`, `minimum`, `maximum`, `$ref` to
/// `#/components/schemas/NAME`, `allOf`/`anyOf`/`oneOf`. Additional properties are allowed, as the contract does not
/// forbid them; `declaredFields(of:)` tells a caller which fields a schema declares.
///
/// Two choices are stricter than generic JSON Schema, to match a typed (serde-style) server:
/// `integer` accepts only numbers written without fraction or exponent, and `null` is accepted only where the
/// schema's `type` lists `"null"`.
///
/// ```swift
/// let body: JSONValue = ["name": "openai", "providerType": "OPENAI", "apiKey": "sk-…"]
/// for problem in ContractSchemas.validate(body, against: ResourceKind.integration.createSchema) {
///     print(problem)   // /providerType: "OPENAI" is not one of OPEN_AI, ANTHROPIC, …
/// }
/// ```
public enum ContractSchemas {
    /// Names of every embedded schema.
    public static var names: [String] { embedded.schemas.keys.sorted() }

    /// Title and version of the OpenAPI document the schemas were taken from.
    public static var sourceVersion: String { embedded.version }

    /// The schema as written in the contract (with `$ref`s unresolved), or nil if it is not embedded.
    public static func schema(named name: String) -> JSONValue? {
        embedded.schemas[name]?.schema
    }

    /// Where the schema sits in the OpenAPI document, as a JSON pointer (`#/components/schemas/TierLimits`).
    public static func sourcePointer(of name: String) -> String? {
        embedded.schemas[name]?.pointer
    }

    /// Property names the schema declares (after resolving `$ref`), or nil for an unknown schema.
    public static func declaredFields(of schemaName: String) -> Set<String>? {
        guard let schema = resolve(schema(named: schemaName)) else { return nil }
        return Set((schema["properties"]?.objectValue ?? [:]).keys)
    }

    /// The contract's `default` for a field of an object schema (e.g. `modelType` → `"CHAT"` in
    /// `CreateModelRequest`), so a caller can treat "sent the default" and "left it out" as equal.
    public static func defaultValue(forField field: String, inSchema schemaName: String) -> JSONValue? {
        guard let schema = resolve(schema(named: schemaName)),
            let property = resolve(schema["properties"]?[field])
        else { return nil }
        return property["default"]
    }

    /// Every way `value` breaks the named schema; empty when it conforms.
    public static func validate(_ value: JSONValue, against schemaName: String) -> [SchemaViolation] {
        guard let schema = schema(named: schemaName) else {
            return [SchemaViolation(path: "", kind: .unknownSchema, message: "no contract schema named \(schemaName)")]
        }
        return validate(value, schema: schema)
    }

    /// Every way `value` breaks an inline schema (its `$ref`s name embedded schemas).
    public static func validate(_ value: JSONValue, schema: JSONValue) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, schema, path: "", into: &violations)
        return violations
    }

    // MARK: - Validation

    private static func resolve(_ schema: JSONValue?) -> JSONValue? {
        var current = schema
        var hops = 0
        while let ref = current?["$ref"]?.stringValue, hops < 32 {
            current = embedded.schemas[refName(ref)]?.schema
            hops += 1
        }
        return current
    }

    private static func refName(_ ref: String) -> String {
        ref.split(separator: "/").last.map(String.init) ?? ref
    }

    private static func check(_ value: JSONValue, _ rawSchema: JSONValue, path: String, into out: inout [SchemaViolation]) {
        if let ref = rawSchema["$ref"]?.stringValue {
            guard let target = embedded.schemas[refName(ref)]?.schema else {
                out.append(SchemaViolation(path: path, kind: .unknownSchema, message: "schema \(ref) is not embedded"))
                return
            }
            check(value, target, path: path, into: &out)
            return
        }
        guard case .object(let schema) = rawSchema else { return }

        if let types = allowedTypes(schema["type"]), !types.contains(where: { matches(value, type: $0) }) {
            out.append(SchemaViolation(path: path, kind: .wrongType,
                message: "expected \(types.joined(separator: " or ")), got \(value.typeName)"))
            return
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            let listed = options.map { $0.stringValue ?? $0.serialized() }.joined(separator: ", ")
            let shown = value.stringValue.map { "\"\($0)\"" } ?? value.serialized()
            out.append(SchemaViolation(path: path, kind: .notInEnum, message: "\(shown) is not one of \(listed)"))
        }
        checkString(value, schema, path: path, into: &out)
        checkNumber(value, schema, path: path, into: &out)

        if case .object(let fields) = value {
            for case .string(let name) in schema["required"]?.arrayValue ?? [] where fields[name] == nil {
                out.append(SchemaViolation(path: path + "/" + escape(name), kind: .missingRequired,
                    message: "required field is missing"))
            }
            if let properties = schema["properties"]?.objectValue {
                for name in fields.keys.sorted() {
                    guard let propertySchema = properties[name], let fieldValue = fields[name] else { continue }
                    check(fieldValue, propertySchema, path: path + "/" + escape(name), into: &out)
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                check(item, itemSchema, path: path + "/\(index)", into: &out)
            }
        }
        for sub in schema["allOf"]?.arrayValue ?? [] {
            check(value, sub, path: path, into: &out)
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let alternatives = schema[keyword]?.arrayValue, !alternatives.isEmpty else { continue }
            let fits = alternatives.contains { alternative in
                var scratch: [SchemaViolation] = []
                check(value, alternative, path: path, into: &scratch)
                return scratch.isEmpty
            }
            if !fits {
                out.append(SchemaViolation(path: path, kind: .wrongType, message: "matches none of the \(keyword) alternatives"))
            }
        }
    }

    private static func allowedTypes(_ type: JSONValue?) -> [String]? {
        switch type {
        case .string(let name): return [name]
        case .array(let names): return names.compactMap(\.stringValue)
        default: return nil
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null),
            ("integer", .int), ("number", .int), ("number", .double):
            return true
        default:
            return false
        }
    }

    private static func checkString(_ value: JSONValue, _ schema: JSONObject, path: String,
        into out: inout [SchemaViolation])
    {
        guard case .string(let text) = value else { return }
        let length = text.unicodeScalars.count  // JSON Schema counts code points
        if let max = schema["maxLength"]?.intValue, length > max {
            out.append(SchemaViolation(path: path, kind: .tooLong, message: "is \(length) characters long, at most \(max) allowed"))
        }
        if let min = schema["minLength"]?.intValue, length < min {
            out.append(SchemaViolation(path: path, kind: .tooLong, message: "is \(length) characters long, at least \(min) required"))
        }
        switch schema["format"]?.stringValue {
        case "uuid" where !Self.isUUID(text):
            out.append(SchemaViolation(path: path, kind: .badFormat,
                message: "is not a UUID (expected 8-4-4-4-12 hexadecimal digits)"))
        case "date-time" where !Self.isDateTime(text):
            out.append(SchemaViolation(path: path, kind: .badFormat,
                message: "is not an RFC 3339 date-time (expected e.g. 2025-01-31T12:00:00Z)"))
        default:
            break
        }
    }

    private static func checkNumber(_ value: JSONValue, _ schema: JSONObject, path: String,
        into out: inout [SchemaViolation])
    {
        guard let number = value.doubleValue, value.boolValue == nil else { return }
        if let min = schema["minimum"]?.doubleValue, number < min {
            out.append(SchemaViolation(path: path, kind: .outOfRange, message: "is \(value.serialized()), at least \(schema["minimum"]!.serialized()) required"))
        }
        if let max = schema["maximum"]?.doubleValue, number > max {
            out.append(SchemaViolation(path: path, kind: .outOfRange, message: "is \(value.serialized()), at most \(schema["maximum"]!.serialized()) allowed"))
        }
    }

    private static func escape(_ token: String) -> String {
        var out = ""
        for character in token {
            switch character {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(character)
            }
        }
        return out
    }

    // MARK: - Formats

    /// 8-4-4-4-12 hexadecimal digits, any case.
    public static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    /// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    public static func isDateTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count >= 20, let _ = digits(0..<4), b[4] == UInt8(ascii: "-"), let month = digits(5..<7),
            b[7] == UInt8(ascii: "-"), let day = digits(8..<10), [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
            let hour = digits(11..<13), b[13] == UInt8(ascii: ":"), let minute = digits(14..<16),
            b[16] == UInt8(ascii: ":"), let second = digits(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), i + 6 == b.count,
            let offsetHour = digits(i + 1..<i + 3), b[i + 3] == UInt8(ascii: ":"), let offsetMinute = digits(i + 4..<i + 6)
        else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    // MARK: - Embedded document

    private struct Embedded: Sendable {
        let version: String
        let schemas: [String: (pointer: String, schema: JSONValue)]
    }

    /// Parsed once, on first use. The generated text is checked by ContractSchemaTests, so a parse failure here is a
    /// build defect, not a run-time condition.
    private static let embedded: Embedded = {
        let document: JSONValue
        do {
            document = try JSONValue.parse(embeddedDocument)
        } catch {
            fatalError("ContractSchemas.generated.swift is not valid JSON (\(error)); re-run scripts/extract_contract_schemas.py")
        }
        var schemas: [String: (pointer: String, schema: JSONValue)] = [:]
        for (name, entry) in document["schemas"]?.objectValue ?? [:] {
            if let pointer = entry["pointer"]?.stringValue, let schema = entry["schema"] {
                schemas[name] = (pointer, schema)
            }
        }
        let title = document["source"]?["title"]?.stringValue ?? "?"
        let version = document["source"]?["version"]?.stringValue ?? "?"
        return Embedded(version: "\(title) \(version)", schemas: schemas)
    }()
}
