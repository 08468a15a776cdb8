import CYAML

/// Phase one of loading: libyaml events → ``YAMLComposedDocument``, as PyYAML's composer does it, with scalars typed
/// on the way (from libyaml's bytes, without intermediate strings) and every limit enforced before anything grows.
///
/// ```swift
/// let doc = try YAMLComposer.compose(Array("a: &x [1]\nb: *x\n".utf8), file: "config.yaml", limits: .default)
/// // doc.nodes: mapping, "a", sequence, 1, "b"; the alias is a second reference to the sequence.
/// ```
struct YAMLComposer {
    private typealias Node = YAMLComposedDocument.Node
    private typealias Child = YAMLComposedDocument.Child

    private struct Frame {
        var node: Int32
        var pendingStart: Int
        var sizeBefore: Int
        var maxChildHeight = 0
    }

    private let file: String
    private let limits: YAMLLimits
    private var doc = YAMLComposedDocument()
    private var stack: [Frame] = []
    /// Children of the open collections, innermost last.
    private var pending: [Child] = []
    private var anchors: [String: Int32] = [:]
    private var expandedNodes = 0

    private init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    static func compose(_ bytes: [UInt8], file: String, limits: YAMLLimits) throws(ConfigError) -> YAMLComposedDocument {
        guard bytes.count <= limits.maxBytes else {
            throw ConfigError("the file is \(bytes.count) bytes, more than the \(limits.maxBytes) bytes allowed",
                              at: SourceLocation(file: file, line: 1, column: 1),
                              hint: "split the config with 'include:' or remove unused entries")
        }
        var composer = YAMLComposer(file: file, limits: limits)
        let result: Result<Void, ConfigError> = bytes.withUnsafeBufferPointer { input in
            do throws(ConfigError) {
                let parser = try YAMLEventParser(input: input, file: file)
                try composer.run(parser)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        return composer.doc
    }

    private mutating func run(_ parser: YAMLEventParser) throws(ConfigError) {
        var documents = 0
        var firstDocument: SourceLocation?
        while true {
            try parser.next()
            let event = parser.event.pointee
            let start = event.start_mark
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents == 1 {
                    firstDocument = parser.location(start)
                } else {
                    throw ConfigError(
                        "expected a single document in the stream, but found another document (the first starts at "
                            + "\(firstDocument.map { "\($0.line):\($0.column)" } ?? "1:1"))", at: parser.location(start),
                        hint: "a LiteLLM config is one YAML document: remove this '---' line and what follows, or "
                            + "move it to a file listed under 'include:'")
                }
            case YAML_ALIAS_EVENT:
                try alias(String(cString: event.data.alias.anchor), at: start)
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let bytes = UnsafeBufferPointer(start: s.value, count: Int(s.length))
                try scalar(bytes, tag: s.tag, anchor: s.anchor, plainImplicit: s.plain_implicit != 0,
                           quoted: s.style != YAML_PLAIN_SCALAR_STYLE, at: start)
            case YAML_SEQUENCE_START_EVENT:
                let s = event.data.sequence_start
                try open(.sequence, tag: s.tag, anchor: s.anchor, at: start)
            case YAML_MAPPING_START_EVENT:
                let m = event.data.mapping_start
                try open(.mapping, tag: m.tag, anchor: m.anchor, at: start)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                close()
            default:
                break  // stream start, document end
            }
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// Counts one more node (and what an alias expands to) and checks depth, before anything is stored.
    private mutating func admit(size: Int, height: Int, at mark: yaml_mark_t) throws(ConfigError) {
        if stack.count + height > limits.maxDepth {
            throw ConfigError("lists and mappings are nested more than \(limits.maxDepth) levels deep here",
                              at: location(mark), hint: "flatten the structure (aliases count as their content)")
        }
        expandedNodes += size
        if expandedNodes > limits.maxNodes {
            throw ConfigError("the document expands to more than \(limits.maxNodes) nodes once aliases are expanded "
                                  + "(an alias bomb?)",
                              at: location(mark), hint: "use fewer aliases of large anchored values")
        }
    }

    private mutating func register(anchor: UnsafeMutablePointer<yaml_char_t>?, node: Int32,
                                   at mark: yaml_mark_t) throws(ConfigError)
    {
        guard let anchor else { return }
        let name = String(cString: anchor)
        if let first = anchors[name] {
            let firstNode = doc.nodes[Int(first)]
            throw ConfigError("found duplicate anchor '\(name)' (first occurrence at \(firstNode.line):"
                                  + "\(firstNode.column))", at: location(mark),
                              hint: "give each anchor a different name")
        }
        anchors[name] = node
        doc.nodes[Int(node)].anchored = true
    }

    private mutating func attach(_ child: Child, height: Int) {
        if stack.isEmpty {
            doc.root = child
        } else {
            pending.append(child)
            stack[stack.count - 1].maxChildHeight = max(stack[stack.count - 1].maxChildHeight, height)
        }
    }

    private mutating func alias(_ name: String, at mark: yaml_mark_t) throws(ConfigError) {
        guard let id = anchors[name] else {
            throw ConfigError("found undefined alias '\(name)'", at: location(mark),
                              hint: "define '&\(name)' on a value before this '*\(name)'")
        }
        let target = doc.nodes[Int(id)]
        guard target.finished else {
            throw ConfigError("the alias '*\(name)' is inside the value anchored as '&\(name)' (a recursive structure)",
                              at: location(mark), hint: "an alias may only refer to a value that is already complete")
        }
        try admit(size: target.expandedSize, height: target.height, at: mark)
        attach(Child(node: id, aliasLine: Int32(mark.line) + 1, aliasColumn: Int32(mark.column) + 1),
               height: target.height)
    }

    private mutating func scalar(_ bytes: UnsafeBufferPointer<UInt8>, tag: UnsafeMutablePointer<yaml_char_t>?,
                                 anchor: UnsafeMutablePointer<yaml_char_t>?, plainImplicit: Bool, quoted: Bool,
                                 at mark: yaml_mark_t) throws(ConfigError)
    {
        try admit(size: 1, height: 0, at: mark)
        let explicit = tag.map { YAMLComposedDocument.Tag(String(cString: $0)) } ?? .none
        var nodeTag = explicit
        let text = String(decoding: bytes, as: UTF8.self)
        let value: YAMLNode.Value
        do throws(ConfigError) {
            if explicit == .none {
                if plainImplicit {
                    switch YAMLScalarResolver.resolve(bytes) {
                    case .string: value = .string(text)
                    case .null: value = .null
                    case .bool(let b): value = .bool(b)
                    case .int: value = try YAMLScalarResolver.constructInt(bytes)
                    case .float: value = .float(try YAMLScalarResolver.constructFloat(bytes))
                    case .timestamp: value = try YAMLTimestamp.construct(bytes)
                    case .merge: value = .string(text); nodeTag = .merge
                    case .value: value = .string(text); nodeTag = .value
                    }
                } else {
                    value = .string(text)
                }
            } else {
                value = try Self.construct(explicit, text: text, bytes: bytes)
            }
        } catch {
            throw ConfigError(error.message, at: location(mark), hint: error.hint)
        }
        let id = Int32(doc.nodes.count)
        doc.nodes.append(Node(kind: .scalar, tag: nodeTag, value: value, text: text, wasQuoted: quoted,
                              line: Int32(mark.line) + 1, column: Int32(mark.column) + 1))
        try register(anchor: anchor, node: id, at: mark)
        attach(Child(node: id), height: 0)
    }

    /// SafeConstructor's scalar constructors for an explicitly tagged scalar.
    static func construct(_ tag: YAMLComposedDocument.Tag, text: String,
                          bytes: UnsafeBufferPointer<UInt8>) throws(ConfigError) -> YAMLNode.Value
    {
        switch tag {
        case .none, .str: return .string(text)
        case .null: return .null
        case .bool: return .bool(try YAMLScalarResolver.constructBool(bytes))
        case .int: return try YAMLScalarResolver.constructInt(bytes)
        case .float: return .float(try YAMLScalarResolver.constructFloat(bytes))
        case .binary: return .binary(try YAMLBase64.decode(bytes))
        case .timestamp: return try YAMLTimestamp.construct(bytes)
        case .merge, .value: return .string(text)  // refused later unless used as a mapping key
        case .seq, .omap, .pairs, .set, .map:
            let expected = tag == .seq || tag == .omap || tag == .pairs ? "a sequence" : "a mapping"
            throw ConfigError("the tag '\(tag.name)' expects \(expected), but found a scalar", at: nil,
                              hint: "remove the tag or give it the right kind of value")
        case .other(let name):
            throw unknownTag(name)
        }
    }

    static func unknownTag(_ name: String) -> ConfigError {
        ConfigError("could not determine a constructor for the tag '\(name)'", at: nil,
                    hint: "LiteLLM loads the config with yaml.safe_load, which refuses custom tags: remove the tag "
                        + "or quote the value")
    }

    private mutating func open(_ kind: YAMLComposedDocument.Kind, tag: UnsafeMutablePointer<yaml_char_t>?,
                               anchor: UnsafeMutablePointer<yaml_char_t>?, at mark: yaml_mark_t) throws(ConfigError)
    {
        try admit(size: 1, height: 1, at: mark)
        let id = Int32(doc.nodes.count)
        var node = Node(kind: kind, tag: tag.map { YAMLComposedDocument.Tag(String(cString: $0)) } ?? .none,
                        value: .null, text: "", wasQuoted: false,
                        line: Int32(mark.line) + 1, column: Int32(mark.column) + 1)
        node.finished = false
        doc.nodes.append(node)
        try register(anchor: anchor, node: id, at: mark)
        stack.append(Frame(node: id, pendingStart: pending.count, sizeBefore: expandedNodes - 1))
    }

    private mutating func close() {
        let frame = stack.removeLast()
        let index = Int(frame.node)
        doc.nodes[index].childStart = Int32(doc.children.count)
        doc.nodes[index].childCount = Int32(pending.count - frame.pendingStart)
        doc.children.append(contentsOf: pending[frame.pendingStart...])
        pending.removeSubrange(frame.pendingStart...)
        doc.nodes[index].expandedSize = expandedNodes - frame.sizeBefore
        doc.nodes[index].height = frame.maxChildHeight + 1
        doc.nodes[index].finished = true
        attach(Child(node: frame.node), height: frame.maxChildHeight + 1)
    }
}
