/// Phase two of loading: ``YAMLComposedDocument`` → ``YAMLNode``, as PyYAML's SafeConstructor does it: explicit
/// collection tags, `<<` merges, duplicate keys, unhashable keys. An anchored node is built once and shared by
/// every alias (only the alias's location differs), so alias-heavy documents stay small in memory.
///
/// ```swift
/// let root = try YAMLConstructor.construct(doc, file: "config.yaml")
/// ```
struct YAMLConstructor {
    private typealias Node = YAMLComposedDocument.Node
    private typealias Child = YAMLComposedDocument.Child
    private typealias Entry = (pair: YAMLPair, identity: YAMLKeyIdentity)

    private let doc: YAMLComposedDocument
    private let file: String
    private var built: [Int32: YAMLNode] = [:]
    private var flattened: [Int32: [Entry]] = [:]

    static func construct(_ doc: YAMLComposedDocument, file: String) throws(ConfigError) -> YAMLNode {
        guard let root = doc.root else {
            return YAMLNode(value: .null, location: SourceLocation(file: file, line: 1, column: 1), wasQuoted: false)
        }
        var constructor = YAMLConstructor(doc: doc, file: file)
        return try constructor.node(root)
    }

    private init(doc: YAMLComposedDocument, file: String) {
        self.doc = doc
        self.file = file
    }

    private func location(_ child: Child) -> SourceLocation {
        if child.aliasLine != 0 {
            return SourceLocation(file: file, line: Int(child.aliasLine), column: Int(child.aliasColumn))
        }
        let node = doc.nodes[Int(child.node)]
        return SourceLocation(file: file, line: Int(node.line), column: Int(node.column))
    }

    private mutating func node(_ child: Child) throws(ConfigError) -> YAMLNode {
        let built = try build(child.node)
        guard child.aliasLine != 0 else { return built }
        return YAMLNode(value: built.value, location: location(child), wasQuoted: built.wasQuoted)
    }

    private static func kindName(_ kind: YAMLComposedDocument.Kind) -> String {
        switch kind {
        case .scalar: return "a scalar"
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        }
    }

    private func wrongKind(_ tag: YAMLComposedDocument.Tag, expected: String, _ node: Node,
                           at location: SourceLocation) -> ConfigError
    {
        ConfigError("the tag '\(tag.name)' expects \(expected), but found \(Self.kindName(node.kind))", at: location,
                    hint: "remove the tag or give it the right kind of value")
    }

    private func undefined(_ tag: YAMLComposedDocument.Tag, at location: SourceLocation) -> ConfigError {
        switch tag {
        case .merge:
            return ConfigError("'<<' (a merge key) can only be a mapping key", at: location,
                               hint: "quote '<<' to use it as text")
        case .value:
            return ConfigError("could not determine a constructor for the tag '\(tag.name)' ('=' on its own)",
                               at: location, hint: "quote '=' to use it as text")
        default:
            let error = YAMLComposer.unknownTag(tag.name)
            return ConfigError(error.message, at: location, hint: error.hint)
        }
    }

    private mutating func build(_ id: Int32) throws(ConfigError) -> YAMLNode {
        let node = doc.nodes[Int(id)]
        if node.anchored, let done = built[id] { return done }
        let location = location(Child(node: id))
        let value: YAMLNode.Value
        switch (node.kind, node.tag) {
        case (.scalar, .merge), (.scalar, .value):
            throw undefined(node.tag, at: location)
        case (.scalar, _):
            value = node.value
        case (.sequence, .none), (.sequence, .seq):
            var items: [YAMLNode] = []
            items.reserveCapacity(Int(node.childCount))
            for child in doc.childRefs(of: node) { items.append(try self.node(child)) }
            value = .sequence(items)
        case (.sequence, .omap), (.sequence, .pairs):
            value = try pairList(node, at: location)
        case (.mapping, .none), (.mapping, .map):
            value = .mapping(try entries(of: id).map(\.pair))
        case (.mapping, .set):
            value = .mapping(try entries(of: id).map {
                YAMLPair(key: $0.pair.key, value: YAMLNode(value: .null, location: $0.pair.value.location,
                                                           wasQuoted: false))
            })
        case (.mapping, .str), (.mapping, .int), (.mapping, .float), (.mapping, .bool), (.mapping, .null),
            (.mapping, .binary):
            value = try scalarThroughValueKey(node, tag: node.tag, at: location)
        case (_, .map), (_, .set):
            throw wrongKind(node.tag, expected: "a mapping", node, at: location)
        case (_, .seq), (_, .omap), (_, .pairs):
            throw wrongKind(node.tag, expected: "a sequence", node, at: location)
        case (_, .str), (_, .int), (_, .float), (_, .bool), (_, .null), (_, .binary), (_, .timestamp):
            throw wrongKind(node.tag, expected: "a scalar", node, at: location)
        case (_, .merge), (_, .value), (_, .other), (_, .none):
            throw undefined(node.tag, at: location)
        }
        let result = YAMLNode(value: value, location: location, wasQuoted: node.wasQuoted)
        if node.anchored { built[id] = result }
        return result
    }

    /// SafeConstructor.construct_scalar on a mapping: the value of its `=` key stands for the whole mapping.
    private func scalarThroughValueKey(_ node: Node, tag: YAMLComposedDocument.Tag,
                                       at location: SourceLocation) throws(ConfigError) -> YAMLNode.Value
    {
        var current = node
        while current.kind == .mapping {
            let refs = doc.childRefs(of: current)
            guard let keyIndex = stride(from: refs.startIndex, to: refs.endIndex, by: 2).first(where: {
                doc.nodes[Int(refs[$0].node)].tag == .value
            }) else { throw wrongKind(tag, expected: "a scalar", node, at: location) }
            current = doc.nodes[Int(refs[keyIndex + 1].node)]
        }
        guard current.kind == .scalar else { throw wrongKind(tag, expected: "a scalar", current, at: location) }
        var text = current.text
        let result = text.withUTF8 { bytes in
            Result { () throws(ConfigError) in try YAMLComposer.construct(tag, text: current.text, bytes: bytes) }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw ConfigError(error.message, at: location, hint: error.hint)
        }
    }

    /// `!!omap` / `!!pairs`: a list of one-entry mappings, kept as a list of [key, value] lists.
    private mutating func pairList(_ node: Node, at location: SourceLocation) throws(ConfigError) -> YAMLNode.Value {
        var items: [YAMLNode] = []
        for child in doc.childRefs(of: node) {
            let entry = doc.nodes[Int(child.node)]
            guard entry.kind == .mapping, entry.childCount == 2 else {
                let found = entry.kind == .mapping ? "\(entry.childCount / 2) items" : Self.kindName(entry.kind)
                throw ConfigError("the tag '\(node.tag.name)' expects a list of one-entry mappings, but found \(found)",
                                  at: self.location(child), hint: "write each entry as '- key: value'")
            }
            let refs = doc.childRefs(of: entry)
            let key = try self.node(refs[refs.startIndex])
            let value = try self.node(refs[refs.startIndex + 1])
            items.append(YAMLNode(value: .sequence([key, value]), location: self.location(child), wasQuoted: false))
        }
        return .sequence(items)
    }

    /// A mapping's entries after `<<` merges (merged first, in PyYAML's order) and duplicate keys.
    private mutating func entries(of id: Int32) throws(ConfigError) -> [Entry] {
        if let done = flattened[id] { return done }
        let node = doc.nodes[Int(id)]
        let refs = doc.childRefs(of: node)
        var builder = YAMLMappingBuilder(capacity: refs.count / 2)
        var merged: [[Entry]] = []
        for index in stride(from: refs.startIndex, to: refs.endIndex, by: 2)
        where doc.nodes[Int(refs[index].node)].tag == .merge {
            let source = refs[index + 1]
            let sourceNode = doc.nodes[Int(source.node)]
            switch sourceNode.kind {
            case .mapping:
                merged.append(try entries(of: source.node))
            case .sequence:
                var group: [[Entry]] = []
                for item in doc.childRefs(of: sourceNode) {
                    let itemNode = doc.nodes[Int(item.node)]
                    guard itemNode.kind == .mapping else {
                        throw ConfigError("expected a mapping for merging, but found \(Self.kindName(itemNode.kind))",
                                          at: location(item), hint: "'<<' takes a mapping or a list of mappings")
                    }
                    group.append(try entries(of: item.node))
                }
                // Earlier mappings in the list win, so they are applied last.
                merged.append(contentsOf: group.reversed())
            case .scalar:
                throw ConfigError("expected a mapping or list of mappings for merging, but found a scalar",
                                  at: location(source), hint: "'<<' takes a mapping (usually an alias like *defaults)")
            }
        }
        for entry in merged.joined() { builder.insert(entry.pair, identity: entry.identity) }
        for index in stride(from: refs.startIndex, to: refs.endIndex, by: 2)
        where doc.nodes[Int(refs[index].node)].tag != .merge {
            let (key, identity) = try key(refs[index])
            builder.insert(YAMLPair(key: key, value: try self.node(refs[index + 1])), identity: identity)
        }
        let result = Array(zip(builder.pairs, builder.identities)).map { Entry(pair: $0.0, identity: $0.1) }
        if node.anchored { flattened[id] = result }
        return result
    }

    private mutating func key(_ child: Child) throws(ConfigError) -> (YAMLNode, YAMLKeyIdentity) {
        let target = doc.nodes[Int(child.node)]
        if target.kind == .scalar, target.tag == .value {
            // flatten_mapping retags a `=` key as a string.
            let key = YAMLNode(value: .string(target.text), location: location(child), wasQuoted: target.wasQuoted)
            return (key, .string(.init(text: target.text)))
        }
        let key = try node(child)
        guard let identity = YAMLKeyIdentity(key.value) else {
            throw ConfigError("found unhashable key (a \(key.kindName) used as a mapping key)", at: key.location,
                              hint: "a mapping key must be a scalar; quote it if it is meant as text")
        }
        return (key, identity)
    }
}
