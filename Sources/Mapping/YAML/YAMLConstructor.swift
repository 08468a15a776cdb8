// PyYAML's SafeConstructor over the composed node graph: tags to values, merge keys, Python dict key semantics.

struct YAMLConstructor {
    private let document: RawDocument
    /// The file name, interned once: every node's location carries only its number.
    private let fileID: UInt32
    /// Values of nodes reachable through aliases, built once (PyYAML's `constructed_objects`).
    private var shared: [Int32: YAMLNode] = [:]
    private var nanKeys = 0
    /// Strings too long to be stored inline, one copy each: a large config repeats them on every deployment
    /// (`input_cost_per_token`, `os.environ/OPENAI_API_KEY`).
    private var longStrings = Set<String>()

    init(document: RawDocument, file: String) {
        self.document = document
        self.fileID = SourceFileNames.shared.id(of: file)
    }

    private func location(_ node: RawNode) -> SourceLocation {
        SourceLocation(fileID: fileID, line: Int(node.line), column: Int(node.column))
    }

    private func location(_ id: Int32) -> SourceLocation { location(document.nodes[Int(id)]) }

    mutating func construct(_ id: Int32) throws(ConfigError) -> YAMLNode {
        let node = document.nodes[Int(id)]
        if node.kind == .alias {
            let target = try construct(node.start)
            return YAMLNode(value: target.value, location: location(node), wasQuoted: target.wasQuoted)
        }
        if node.shared, let done = shared[id] { return done }
        let built = YAMLNode(value: try value(of: id, node), location: location(node), wasQuoted: node.quoted)
        if node.shared { shared[id] = built }
        return built
    }

    private mutating func value(of id: Int32, _ node: RawNode) throws(ConfigError) -> YAMLNode.Value {
        switch node.tag {
        case .str:
            return .string(interned(String(decoding: try scalarBytes(id), as: UTF8.self)))
        case .null:
            _ = try scalarBytes(id)
            return .null
        case .bool:
            return .bool(try scalar(id) { text throws(ScalarProblem) in try YAMLScalarConstructor.bool(text) })
        case .int:
            return try scalar(id) { text throws(ScalarProblem) in try YAMLScalarConstructor.int(text) }
        case .float:
            return .float(try scalar(id) { text throws(ScalarProblem) in try YAMLScalarConstructor.float(text) })
        case .binary:
            return .binary(try scalar(id) { text throws(ScalarProblem) in try YAMLScalarConstructor.binary(text) })
        case .timestamp:
            return try scalar(id) { text throws(ScalarProblem) in try YAMLScalarConstructor.timestamp(text) }
        case .seq:
            guard node.kind == .sequence else { throw wrongKind(id, expected: "sequence") }
            var items: [YAMLNode] = []
            items.reserveCapacity(Int(node.count))
            for child in document.childIDs(node) { items.append(try construct(child)) }
            return .sequence(items)
        case .map:
            guard node.kind == .mapping else { throw wrongKind(id, expected: "mapping") }
            return .mapping(try mapping(id))
        case .set:
            guard node.kind == .mapping else { throw wrongKind(id, expected: "mapping") }
            return .mapping(try mapping(id).map { pair in
                YAMLPair(key: pair.key, value: YAMLNode(value: .null, location: pair.key.location))
            })
        case .omap, .pairs:
            return .sequence(try orderedPairs(id, node))
        case .merge:
            throw ConfigError(
                "'<<' (a merge key) is only meaningful as a mapping key", at: location(node),
                hint: "quote it ('<<') if it is meant as text")
        case .value:
            throw ConfigError(
                "PyYAML cannot load a plain '=' as a value (it is YAML 1.1's \"value\" key)", at: location(node),
                hint: "quote it: '='")
        case .other(let index):
            let tag = NodeTag.shortName(document.otherTags[Int(index)])
            throw ConfigError(
                "unknown tag \(tag): yaml.safe_load, which LiteLLM uses, cannot construct it", at: location(node),
                hint: "remove the tag; LiteLLM configs are plain YAML (a secret is written os.environ/NAME)")
        }
    }

    private mutating func interned(_ text: String) -> String {
        guard text.utf8.count > 15 else { return text }  // 15 UTF-8 bytes or fewer live inside the String value
        return longStrings.insert(text).memberAfterInsert
    }

    private func wrongKind(_ id: Int32, expected: String) -> ConfigError {
        let node = document.nodes[Int(id)]
        return ConfigError(
            "expected a \(expected) for the tag \(tagName(node.tag)), found a \(kindName(node.kind))",
            at: location(node), hint: "remove the tag or change the value")
    }

    private func kindName(_ kind: RawNode.Kind) -> String {
        switch kind {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        case .alias: return "alias"
        }
    }

    /// `!!int`, `!Ref`, …
    private func tagName(_ tag: NodeTag) -> String {
        if case .other(let i) = tag { return NodeTag.shortName(document.otherTags[Int(i)]) }
        return tag.shortName ?? "?"
    }

    /// `construct_scalar`: a scalar's text; a mapping with a `=` key stands for that key's value.
    private func scalarBytes(_ id: Int32) throws(ConfigError) -> Bytes {
        let node = document.nodes[Int(document.resolved(id))]
        switch node.kind {
        case .scalar:
            return document.bytes(node)
        case .mapping:
            let kids = document.childIDs(node)
            var i = kids.startIndex
            while i < kids.endIndex {
                if document.nodes[Int(document.resolved(kids[i]))].tag == .value {
                    return try scalarBytes(kids[i + 1])
                }
                i += 2
            }
            fallthrough
        default:
            throw ConfigError(
                "expected a scalar for the tag \(tagName(node.tag)), found a \(kindName(node.kind))",
                at: location(node), hint: "remove the tag or change the value")
        }
    }

    private func scalar<T>(_ id: Int32, _ build: (Bytes) throws(ScalarProblem) -> T) throws(ConfigError) -> T {
        let text = try scalarBytes(id)
        do {
            return try build(text)
        } catch {
            let node = document.nodes[Int(id)]
            let typed: String
            switch node.tag {
            case .int: typed = "an integer"
            case .float: typed = "a float"
            case .bool: typed = "a boolean"
            default: typed = "a date"
            }
            throw ConfigError(
                error.message, at: location(node),
                hint: node.tagged
                    ? "fix the value or remove the tag"
                    : "PyYAML (which LiteLLM uses) reads this unquoted value as \(typed) and fails; quote it if it is text")
        }
    }

    // MARK: Mappings

    /// `flatten_mapping`: pairs (key id, value id) with merged pairs first. A `<<: *a` merges a's pairs; a list of
    /// mappings merges them so that earlier ones win; the mapping's own pairs come last and so win.
    private func flatten(_ id: Int32) throws(ConfigError) -> [(key: Int32, value: Int32)] {
        let node = document.nodes[Int(id)]
        let kids = document.childIDs(node)
        var merged: [(key: Int32, value: Int32)] = []
        var own: [(key: Int32, value: Int32)] = []
        own.reserveCapacity(kids.count / 2)
        var i = kids.startIndex
        while i < kids.endIndex {
            let key = kids[i], value = kids[i + 1]
            i += 2
            guard document.nodes[Int(document.resolved(key))].tag == .merge else {
                own.append((key, value))
                continue
            }
            let source = document.resolved(value)
            let sourceNode = document.nodes[Int(source)]
            switch sourceNode.kind {
            case .mapping:
                merged.append(contentsOf: try flatten(source))
            case .sequence:
                var parts: [[(key: Int32, value: Int32)]] = []
                for item in document.childIDs(sourceNode) {
                    let target = document.resolved(item)
                    guard document.nodes[Int(target)].kind == .mapping else {
                        throw ConfigError(
                            "a '<<' merge list must contain only mappings, this is a \(kindName(document.nodes[Int(target)].kind))",
                            at: location(item), hint: "list only mappings (usually aliases like *defaults) after '<<:'")
                    }
                    parts.append(try flatten(target))
                }
                for part in parts.reversed() { merged.append(contentsOf: part) }
            default:
                throw ConfigError(
                    "a '<<' merge key needs a mapping or a list of mappings, found a scalar", at: location(value),
                    hint: "merge an anchored mapping (<<: *defaults), or quote '<<' if it is meant as a key")
            }
        }
        return merged.isEmpty ? own : merged + own
    }

    /// `construct_mapping`: keys and values in flattened order, as a Python dict (a repeated key keeps its first
    /// place and key, and takes the last value).
    private mutating func mapping(_ id: Int32) throws(ConfigError) -> [YAMLPair] {
        let node = document.nodes[Int(id)]
        let kids = document.childIDs(node)
        var hasMerge = false
        var i = kids.startIndex
        while i < kids.endIndex, !hasMerge {
            hasMerge = document.nodes[Int(document.resolved(kids[i]))].tag == .merge
            i += 2
        }
        var pairs: [YAMLPair] = []
        var index: [PyKey: Int]? = nil
        if hasMerge {
            let items = try flatten(id)
            pairs.reserveCapacity(items.count)
            for (key, value) in items { try insert(key, value, into: &pairs, index: &index) }
        } else {
            pairs.reserveCapacity(kids.count / 2)
            i = kids.startIndex
            while i < kids.endIndex {
                try insert(kids[i], kids[i + 1], into: &pairs, index: &index)
                i += 2
            }
        }
        return pairs
    }

    /// `mapping[key] = value`: a linear search for an equal key while the mapping is small, then a dictionary.
    private mutating func insert(
        _ keyID: Int32, _ valueID: Int32, into pairs: inout [YAMLPair], index: inout [PyKey: Int]?
    ) throws(ConfigError) {
        let key: YAMLNode
        let keyNode = document.nodes[Int(document.resolved(keyID))]
        if keyNode.tag == .value, keyNode.kind == .scalar {
            // flatten_mapping re-tags a `=` key as a string.
            key = YAMLNode(
                value: .string(String(decoding: document.bytes(keyNode), as: UTF8.self)), location: location(keyID))
        } else {
            key = try construct(keyID)
        }
        if case .sequence = key.value { throw unhashable(key) }
        if case .mapping = key.value { throw unhashable(key) }
        let value = try construct(valueID)

        let existing: Int?
        if index != nil {
            existing = index![pyKey(key.value)]
        } else if case .string(let s) = key.value {
            existing = pairs.firstIndex { if case .string(let t) = $0.key.value { return s == t }; return false }
        } else {
            var found: Int? = nil
            for (n, pair) in pairs.enumerated() where pyEqual(pair.key.value, key.value) {
                found = n
                break
            }
            existing = found
        }
        if let at = existing {
            if case .string(let new) = key.value, case .string(let old) = pairs[at].key.value, !new.utf8.elementsEqual(old.utf8) {
                throw normalizationTwins(old, pairs[at].key.location, new, key.location)
            }
            pairs[at] = YAMLPair(key: pairs[at].key, value: value)
            return
        }
        pairs.append(YAMLPair(key: key, value: value))
        if index != nil {
            index![pyKey(key.value)] = pairs.count - 1
        } else if pairs.count > 16 {
            var built: [PyKey: Int] = [:]
            for (n, pair) in pairs.enumerated() { built[pyKey(pair.key.value)] = n }
            index = built
        }
    }

    /// Two keys that Swift's `==` finds equal (canonically equivalent) but Python does not (it compares code points):
    /// PyYAML keeps both, and the rest of this tool, keyed by Swift strings, cannot. Refused rather than merged.
    private func normalizationTwins(_ first: String, _ firstPlace: SourceLocation, _ second: String, _ place: SourceLocation) -> ConfigError {
        func codePoints(_ text: String) -> String {
            let shown = text.unicodeScalars.prefix(12).map { scalar in
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
            return shown.joined(separator: " ") + (text.unicodeScalars.count > 12 ? " …" : "")
        }
        return ConfigError(
            "the key \"\(second)\" (\(codePoints(second))) differs from the key \"\(first)\" at line \(firstPlace.line) "
                + "(\(codePoints(first))) only in Unicode normalization: LiteLLM reads them as two keys, this tool cannot",
            at: place, hint: "spell both keys with the same characters (most editors can normalize text to NFC)")
    }

    private func unhashable(_ key: YAMLNode) -> ConfigError {
        ConfigError(
            "a \(key.typeName == "list" ? "list" : "mapping") cannot be a mapping key (PyYAML: found unhashable key)",
            at: key.location, hint: "use a plain value (a string) as the key")
    }

    /// `!!omap` and `!!pairs`: a sequence of one-pair mappings, as `[key, value]` sequences (no merging, no
    /// dedup, as PyYAML's list of tuples).
    private mutating func orderedPairs(_ id: Int32, _ node: RawNode) throws(ConfigError) -> [YAMLNode] {
        guard node.kind == .sequence else { throw wrongKind(id, expected: "sequence") }
        var out: [YAMLNode] = []
        for item in document.childIDs(node) {
            let entry = document.nodes[Int(document.resolved(item))]
            guard entry.kind == .mapping, entry.count == 2 else {
                throw ConfigError(
                    entry.kind == .mapping
                        ? "each item of \(tagName(node.tag)) must be a mapping with a single key, this has \(entry.count / 2)"
                        : "each item of \(tagName(node.tag)) must be a one-key mapping, this is a \(kindName(entry.kind))",
                    at: location(item), hint: "write the items as '- key: value'")
            }
            let kids = document.childIDs(entry)
            let key = try construct(kids[kids.startIndex])
            let value = try construct(kids[kids.startIndex + 1])
            out.append(YAMLNode(value: .sequence([key, value]), location: location(item)))
        }
        return out
    }

    // MARK: Python key equality

    /// Equal exactly when the Python objects are equal dict keys: `1 == 1.0 == True`, `0 == False == -0.0`, an aware
    /// datetime equals another at the same instant, and every NaN is its own key.
    enum PyKey: Hashable {
        case none
        case number(String)
        case string(String)
        case bytes([UInt8])
        case date(String)
        case naive(Int64)
        case aware(Int64)
        case nan(Int)
    }

    private mutating func pyEqual(_ a: YAMLNode.Value, _ b: YAMLNode.Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.string, _), (_, .string): return false
        default: return pyKey(a) == pyKey(b)
        }
    }

    private mutating func pyKey(_ value: YAMLNode.Value) -> PyKey {
        switch value {
        case .null: return .none
        case .bool(let b): return .number(b ? "1" : "0")
        case .int(let i): return .number(String(i))
        case .bigInt(let text): return .number(text)
        case .float(let d):
            if d.isNaN { nanKeys += 1; return .nan(nanKeys) }
            if d.isFinite, d == d.rounded() {
                return .number(d.magnitude < 9.0e18 ? String(Int64(d)) : BigInt(exactly: d).decimal)
            }
            return .number("f\(d.bitPattern)")
        case .string(let s): return .string(s)
        case .date(let s): return .date(s)
        case .timestamp(let s):
            guard let ts = Timestamp.parse(isoFormat: s) else { return .string(s) }
            return ts.offsetMinutes == nil ? .naive(ts.microsecondsSinceEpoch) : .aware(ts.microsecondsSinceEpoch)
        case .binary(let b): return .bytes(b)
        case .sequence, .mapping: nanKeys += 1; return .nan(nanKeys)  // never a key: rejected as unhashable
        }
    }
}
