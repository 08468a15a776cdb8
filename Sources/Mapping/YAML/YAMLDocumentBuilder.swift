import CYAML
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Builds the ``YAMLNode`` tree of one document straight from libyaml's events, with PyYAML's composer and
/// SafeConstructor semantics, in one pass and without an intermediate node graph.
///
/// Each finished node is summarised for its parent (``Built``): its value, or the reason PyYAML would refuse to
/// construct it, plus what the few non-value uses need (`<<` merges take a mapping's entries even when its own tag
/// is refused; `!!omap` takes a mapping's single pair; a scalar tag on a mapping takes the text behind its `=` key).
/// A refusal travels up to the root and is thrown only if the node is really used as a value, after the whole
/// document has parsed (as PyYAML composes the whole document before constructing it). Aliases share the anchored
/// node's storage; limits on size (aliases expanded) and depth are checked before anything grows.
///
/// ```swift
/// let root = try YAMLDocumentBuilder.build(Array("base: &b {rpm: 1}\nmodel: {<<: *b, tpm: 2}\n".utf8),
///                                          file: "config.yaml", limits: .default)
/// ```
struct YAMLDocumentBuilder {
    /// A mapping's entries after merges and duplicate keys.
    typealias Entries = [YAMLPair]

    enum Kind { case scalar, sequence, mapping }

    /// A finished node, as its parent needs it. Kept small: it is copied for every scalar.
    struct Built {
        var node: YAMLNode
        /// Why this node cannot be used as a value (refused tag, or a refused node inside it).
        var failure: Failure?
        var kind: Kind
        var tag: YAMLTag
        /// A scalar's text when its value is not that text and it may be needed (anchored, `=`, `<<`).
        var text: String?
        var collection: CollectionFacts?
        var expandedSize = 1
        var height = 0

        var sourceText: String? {
            if let text { return text }
            if case .string(let s) = node.value { return s }
            return nil
        }
    }

    /// A ConfigError behind a reference, so that the common no-error path copies one word.
    final class Failure {
        let error: ConfigError
        init(_ error: ConfigError) { self.error = error }
    }

    /// What the non-value uses of a collection need.
    final class CollectionFacts {
        /// A mapping's entries after merges and duplicate keys, as `<<` merges them; or why they cannot be merged.
        var entries: Result<Entries, ConfigError>?
        /// A mapping's only key/value pair (for `!!omap` / `!!pairs`), with any failure of the two nodes.
        var singlePair: (pair: YAMLPair, failure: Failure?)?
        /// A mapping's text behind its `=` key (for a scalar tag on the mapping).
        var valueText: String?
        /// A sequence's items as merge sources (entries of each mapping); only kept where `<<` may use them.
        var mergeGroups: Result<[Entries], ConfigError>?
    }

    private struct Frame {
        var kind: Kind
        var tag: YAMLTag
        var location: SourceLocation
        var anchor: String?
        var sizeBefore: Int
        var maxChildHeight = 0
        var failure: Failure?
        // Sequences
        var itemStart: Int
        var mergeGroups: Result<[Entries], ConfigError>?
        // Mappings
        var builder: YAMLMappingBuilder
        var merged: [Entries] = []
        var pendingKey: Built?
        var rawPairs = 0
        var singlePair: (pair: YAMLPair, failure: Failure?)?
        /// Only an anchored mapping or an `!!omap` / `!!pairs` entry needs `singlePair`.
        var wantsSinglePair = false
        var valueText: String?
        var entriesFailure: Failure?

        init(kind: Kind, tag: YAMLTag, location: SourceLocation, anchor: String?, sizeBefore: Int, itemStart: Int,
             pairStart: Int)
        {
            self.itemStart = itemStart
            self.builder = YAMLMappingBuilder(start: pairStart)
            self.kind = kind
            self.tag = tag
            self.location = location
            self.anchor = anchor
            self.sizeBefore = sizeBefore
        }

        /// Keeps the first failure, as PyYAML stops at the first one it meets.
        static func note(_ failure: Failure?, in slot: inout Failure?) {
            if slot == nil, let failure { slot = failure }
        }

        static func note(_ error: ConfigError, in slot: inout Failure?) {
            if slot == nil { slot = Failure(error) }
        }
    }

    private let file: String
    /// `file`, interned once: every node's location refers to it.
    private let fileID: UInt32
    private let limits: YAMLLimits
    private var stack: [Frame] = []
    /// Items of the open sequences and entries of the open mappings, innermost last (see ``Frame``).
    private var itemStorage: [YAMLNode] = []
    private var pairStorage: [YAMLPair] = []
    private var anchors: [String: Built] = [:]
    /// Anchors of collections still open (an alias to one of them would be recursive).
    private var openAnchors: [String: SourceLocation] = [:]
    private var anchorPlaces: [String: SourceLocation] = [:]
    private var root: Built?
    private var expandedNodes = 0
    /// Longer strings already made, by a hash of their bytes (see ``sharedString(_:)``).
    private var sharedStrings: [Int: String] = [:]

    private init(file: String, limits: YAMLLimits) {
        self.file = file
        self.fileID = SourceFileNames.shared.id(of: file)
        self.limits = limits
    }

    static func build(_ bytes: [UInt8], file: String, limits: YAMLLimits) throws(ConfigError) -> YAMLNode {
        guard bytes.count <= limits.maxBytes else {
            throw ConfigError("the file is \(bytes.count) bytes, more than the \(limits.maxBytes) bytes allowed",
                              at: SourceLocation(file: file, line: 1, column: 1),
                              hint: "split the config with 'include:' or remove unused entries")
        }
        var builder = YAMLDocumentBuilder(file: file, limits: limits)
        let parsed: Result<Void, ConfigError> = bytes.withUnsafeBufferPointer { input in
            Result { () throws(ConfigError) in try builder.run(YAMLEventParser(input: input, file: file)) }
        }
        try parsed.get()
        guard let root = builder.root else {
            return YAMLNode(value: .null, location: SourceLocation(file: file, line: 1, column: 1), wasQuoted: false)
        }
        if let failure = root.failure { throw failure.error }
        return root.node
    }

    // MARK: Events

    private mutating func run(_ parser: YAMLEventParser) throws(ConfigError) {
        var firstDocument: SourceLocation?
        while true {
            try parser.next()
            let event = parser.event.pointee
            let mark = event.start_mark
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                if let first = firstDocument {
                    throw ConfigError(
                        "expected a single document in the stream, but found another document (the first starts at "
                            + "\(first.line):\(first.column))", at: location(mark),
                        hint: "a LiteLLM config is one YAML document: remove this '---' line and what follows, or "
                            + "move it to a file listed under 'include:'")
                }
                firstDocument = location(mark)
            case YAML_ALIAS_EVENT:
                try alias(String(cString: event.data.alias.anchor), at: mark)
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                try scalar(UnsafeBufferPointer(start: s.value, count: Int(s.length)), tag: s.tag, anchor: s.anchor,
                           plainImplicit: s.plain_implicit != 0, quoted: s.style != YAML_PLAIN_SCALAR_STYLE, at: mark)
            case YAML_SEQUENCE_START_EVENT:
                let s = event.data.sequence_start
                try open(.sequence, tag: s.tag, anchor: s.anchor, at: mark)
            case YAML_MAPPING_START_EVENT:
                let m = event.data.mapping_start
                try open(.mapping, tag: m.tag, anchor: m.anchor, at: mark)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                close()
            default:
                break  // stream start, document end
            }
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(fileID: fileID, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// Counts one more node (or what an alias expands to) and checks depth, before anything is stored.
    private mutating func admit(size: Int, height: Int, at mark: yaml_mark_t) throws(ConfigError) {
        if stack.count + height > limits.maxDepth {
            throw ConfigError("lists and mappings are nested more than \(limits.maxDepth) levels deep here",
                              at: location(mark), hint: "flatten the structure (an alias counts as its content)")
        }
        expandedNodes += size
        if expandedNodes > limits.maxNodes {
            throw ConfigError("the document expands to more than \(limits.maxNodes) nodes once aliases are expanded "
                                  + "(an alias bomb?)",
                              at: location(mark), hint: "use fewer aliases of large anchored values")
        }
    }

    private mutating func claim(anchor: UnsafeMutablePointer<yaml_char_t>?,
                                at mark: yaml_mark_t) throws(ConfigError) -> String?
    {
        guard let anchor else { return nil }
        let name = String(cString: anchor)
        if let first = anchorPlaces[name] {
            throw ConfigError("found duplicate anchor '\(name)' (first occurrence at \(first.line):\(first.column))",
                              at: location(mark), hint: "give each anchor a different name")
        }
        anchorPlaces[name] = location(mark)
        return name
    }

    private mutating func alias(_ name: String, at mark: yaml_mark_t) throws(ConfigError) {
        guard var built = anchors[name] else {
            if openAnchors[name] != nil {
                throw ConfigError("the alias '*\(name)' is inside the value anchored as '&\(name)' (a recursive "
                                      + "structure)", at: location(mark),
                                  hint: "an alias may only refer to a value that is already complete")
            }
            throw ConfigError("found undefined alias '\(name)'", at: location(mark),
                              hint: "define '&\(name)' on a value before this '*\(name)'")
        }
        try admit(size: built.expandedSize, height: built.height, at: mark)
        built.node = YAMLNode(value: built.node.value, location: location(mark), wasQuoted: built.node.wasQuoted)
        attach(built)
    }

    private mutating func scalar(_ bytes: UnsafeBufferPointer<UInt8>, tag: UnsafeMutablePointer<yaml_char_t>?,
                                 anchor: UnsafeMutablePointer<yaml_char_t>?, plainImplicit: Bool, quoted: Bool,
                                 at mark: yaml_mark_t) throws(ConfigError)
    {
        try admit(size: 1, height: 0, at: mark)
        let anchorName = try claim(anchor: anchor, at: mark)
        let place = location(mark)
        var nodeTag = tag.map { YAMLTag(String(cString: $0)) } ?? .none
        var value: YAMLNode.Value = .null
        var failure: Failure?
        var text: String?
        do throws(ConfigError) {
            if !nodeTag.isNone {
                let string = String(decoding: bytes, as: UTF8.self)
                value = try nodeTag.construct(text: string, bytes: bytes)
                text = string
            } else if !plainImplicit {
                value = .string(sharedString(bytes))
            } else {
                switch YAMLScalarResolver.resolve(bytes) {
                case .string: value = .string(sharedString(bytes))
                case .null: value = .null
                case .bool(let b): value = .bool(b)
                case .int: value = try YAMLScalarResolver.constructInt(bytes)
                case .float: value = .float(try YAMLScalarResolver.constructFloat(bytes))
                case .timestamp: value = try YAMLTimestamp.construct(bytes)
                case .merge: nodeTag = .merge
                case .value: nodeTag = .value
                }
            }
        } catch {
            failure = Failure(error.at(place))
        }
        if nodeTag.isMerge || nodeTag.isValue {
            text = String(decoding: bytes, as: UTF8.self)
            failure = Failure(nodeTag.refusal(found: "a scalar").at(place))
        }
        if text == nil, case .string = value {
        } else if text == nil, anchorName != nil || expectsValueText {
            text = String(decoding: bytes, as: UTF8.self)
        }
        let built = Built(node: YAMLNode(value: value, location: place, wasQuoted: quoted), failure: failure,
                          kind: .scalar, tag: nodeTag, text: text)
        if let anchorName { anchors[anchorName] = built }
        attach(built)
    }

    /// The string of `bytes`, sharing the storage of an equal string made before. Configs repeat the same keys and
    /// values (`input_cost_per_token`, `os.environ/AZURE_API_KEY`) thousands of times; strings of up to 15 bytes
    /// are stored inline anyway, longer ones would each take a heap block.
    private mutating func sharedString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > 15 && bytes.count <= 256 else { return String(decoding: bytes, as: UTF8.self) }
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        let hash = hasher.finalize()
        if var known = sharedStrings[hash] {
            // Equal hashes are checked byte for byte: a collision just makes a new string.
            let same = known.withUTF8 { $0.count == bytes.count && memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            if same { return known }
        }
        let made = String(decoding: bytes, as: UTF8.self)
        sharedStrings[hash] = made
        return made
    }

    /// True when the next node is the value of a `=` key (its text may stand for the mapping).
    private var expectsValueText: Bool {
        guard !stack.isEmpty, stack[stack.count - 1].kind == .mapping else { return false }
        return stack[stack.count - 1].pendingKey.map { $0.kind == .scalar && $0.tag.isValue } ?? false
    }

    private mutating func open(_ kind: Kind, tag: UnsafeMutablePointer<yaml_char_t>?,
                               anchor: UnsafeMutablePointer<yaml_char_t>?, at mark: yaml_mark_t) throws(ConfigError)
    {
        try admit(size: 1, height: 1, at: mark)
        let anchorName = try claim(anchor: anchor, at: mark)
        if let anchorName { openAnchors[anchorName] = location(mark) }
        let isMergeSource = !stack.isEmpty && stack[stack.count - 1].kind == .mapping
            && stack[stack.count - 1].pendingKey?.tag.isMerge == true
        var frame = Frame(kind: kind, tag: tag.map { YAMLTag(String(cString: $0)) } ?? .none,
                          location: location(mark), anchor: anchorName, sizeBefore: expandedNodes - 1,
                          itemStart: itemStorage.count, pairStart: pairStorage.count)
        if kind == .sequence && (anchorName != nil || isMergeSource) { frame.mergeGroups = .success([]) }
        if kind == .mapping {
            let inPairList = !stack.isEmpty && stack[stack.count - 1].kind == .sequence
                && (stack[stack.count - 1].tag == .omap || stack[stack.count - 1].tag == .pairs)
            frame.wantsSinglePair = anchorName != nil || inPairList
        }
        stack.append(frame)
    }

    // MARK: Children

    private mutating func attach(_ child: Built) {
        guard !stack.isEmpty else {
            root = child
            return
        }
        let index = stack.count - 1
        stack[index].maxChildHeight = max(stack[index].maxChildHeight, child.height)
        if stack[index].kind == .sequence {
            Self.attachItem(child, to: &stack[index], items: &itemStorage)
        } else if stack[index].pendingKey != nil {
            var pending: Built?
            swap(&pending, &stack[index].pendingKey)  // moves the key out without copying it
            let key = pending.unsafelyUnwrapped
            Self.attachPair(key: key, value: child, to: &stack[index], pairs: &pairStorage)
        } else {
            stack[index].pendingKey = child
        }
    }

    private static func attachItem(_ child: Built, to frame: inout Frame, items: inout [YAMLNode]) {
        switch frame.tag {
        case .omap, .pairs:
            // A list of one-entry mappings, kept as [key, value] lists (Python's list of tuples).
            if child.kind == .mapping, let single = child.collection?.singlePair {
                Frame.note(single.failure, in: &frame.failure)
                items.append(YAMLNode(value: .sequence([single.pair.key, single.pair.value]),
                                            location: child.node.location, wasQuoted: false))
            } else {
                Frame.note(ConfigError("the tag '\(frame.tag.name)' expects a list of one-entry mappings",
                                       at: child.node.location, hint: "write each entry as '- key: value'"),
                           in: &frame.failure)
            }
        default:
            Frame.note(child.failure, in: &frame.failure)
            items.append(child.node)
        }
        guard case .success(var groups)? = frame.mergeGroups else { return }
        if child.kind == .mapping, let entries = child.collection?.entries {
            switch entries {
            case .success(let e): groups.append(e); frame.mergeGroups = .success(groups)
            case .failure(let error): frame.mergeGroups = .failure(error)
            }
        } else {
            frame.mergeGroups = .failure(ConfigError(
                "expected a mapping for merging, but found \(child.kind == .scalar ? "a scalar" : "a sequence")",
                at: child.node.location, hint: "'<<' takes a mapping or a list of mappings"))
        }
    }

    private static func attachPair(key: Built, value: Built, to frame: inout Frame, pairs: inout [YAMLPair]) {
        frame.rawPairs += 1
        if !frame.wantsSinglePair {
        } else if frame.rawPairs == 1 {
            frame.singlePair = (YAMLPair(key: key.node, value: value.node), key.failure ?? value.failure)
        } else if frame.rawPairs == 2 {
            frame.singlePair = nil
        }
        if key.tag.isMerge {
            switch (value.kind, value.collection?.entries, value.collection?.mergeGroups) {
            case (.mapping, .success(let entries)?, _): frame.merged.append(entries)
            case (.sequence, _, .success(let groups)?): frame.merged.append(contentsOf: groups.reversed())  // earlier wins
            case (_, .failure(let error)?, _), (_, _, .failure(let error)?): Frame.note(error, in: &frame.entriesFailure)
            default:
                Frame.note(ConfigError("expected a mapping or list of mappings for merging, but found a scalar",
                                       at: value.node.location,
                                       hint: "'<<' takes a mapping (usually an alias like *defaults)"),
                           in: &frame.entriesFailure)
            }
            return
        }
        var keyNode = key.node
        if key.kind == .scalar && key.tag.isValue {
            // flatten_mapping retags a `=` key as a string; its value may stand for the whole mapping.
            keyNode = YAMLNode(value: .string(key.text ?? "="), location: key.node.location, wasQuoted: key.node.wasQuoted)
            if frame.valueText == nil {
                frame.valueText = value.kind == .mapping ? value.collection?.valueText : value.sourceText
            }
        } else {
            Frame.note(key.failure, in: &frame.failure)
        }
        Frame.note(value.failure, in: &frame.failure)
        switch keyNode.value {
        case .sequence, .mapping:
            Frame.note(ConfigError("found unhashable key (a \(keyNode.kindName) used as a mapping key)",
                                   at: keyNode.location, hint: "a mapping key must be a scalar; quote it if it is text"),
                       in: &frame.entriesFailure)
        default:
            frame.builder.insert(YAMLPair(key: keyNode, value: value.node), into: &pairs)
        }
    }

    private mutating func close() {
        let frame = stack.removeLast()
        var built: Built
        switch frame.kind {
        case .sequence:
            let items = Array(itemStorage[frame.itemStart..<itemStorage.count])
            itemStorage.removeLast(itemStorage.count - frame.itemStart)
            built = Built(node: YAMLNode(value: .sequence(items), location: frame.location, wasQuoted: false),
                          failure: frame.failure, kind: .sequence, tag: frame.tag)
            if let groups = frame.mergeGroups {
                built.collection = CollectionFacts()
                built.collection?.mergeGroups = groups
            }
            switch frame.tag {
            case .none, .seq, .omap, .pairs: break
            default: built.failure = Failure(frame.tag.refusal(found: "a sequence").at(frame.location))
            }
        case .mapping:
            let own = Array(pairStorage[frame.builder.start..<pairStorage.count])
            pairStorage.removeLast(pairStorage.count - frame.builder.start)
            built = Self.closeMapping(frame, pairs: own, keepFacts: frame.anchor != nil || parentUsesFacts)
        case .scalar:
            preconditionFailure("scalars have no frame")
        }
        built.expandedSize = expandedNodes - frame.sizeBefore
        built.height = frame.maxChildHeight + 1
        if let anchor = frame.anchor {
            openAnchors[anchor] = nil
            anchors[anchor] = built
        }
        attach(built)
    }

    /// Whether the innermost open collection may use a finished mapping other than as a value (omap entry, merge
    /// source, `=` value), so that its ``CollectionFacts`` must be kept.
    private var parentUsesFacts: Bool {
        guard !stack.isEmpty else { return false }
        let top = stack.count - 1
        switch stack[top].kind {
        case .sequence:
            return stack[top].tag == .omap || stack[top].tag == .pairs || stack[top].mergeGroups != nil
        case .mapping:
            return stack[top].pendingKey.map { $0.tag.isMerge || $0.tag.isValue } ?? false
        case .scalar:
            return false
        }
    }

    private static func closeMapping(_ frame: Frame, pairs own: [YAMLPair], keepFacts: Bool) -> Built {
        var entries = own
        if !frame.merged.isEmpty {
            // Merged entries come first, so the mapping's own keys override them.
            entries = []
            var builder = YAMLMappingBuilder(start: 0)
            for group in frame.merged {
                for pair in group { builder.insert(pair, into: &entries) }
            }
            for pair in own { builder.insert(pair, into: &entries) }
        }
        let entriesFailure = frame.entriesFailure ?? frame.failure
        var pairs = entries
        var failure = entriesFailure
        var value: YAMLNode.Value = .null
        switch frame.tag {
        case .none, .map:
            break
        case .set:
            pairs = pairs.map {
                YAMLPair(key: $0.key, value: YAMLNode(value: .null, location: $0.value.location, wasQuoted: false))
            }
        case let tag where tag.isScalarTag:
            // SafeConstructor.construct_scalar: a mapping with a `=` key stands for that key's value.
            if tag != .timestamp, let text = frame.valueText {
                var utf8 = Array(text.utf8)
                let result = utf8.withUnsafeMutableBufferPointer { bytes in
                    Result { () throws(ConfigError) in try tag.construct(text: text, bytes: UnsafeBufferPointer(bytes)) }
                }
                switch result {
                case .success(let v): value = v; failure = nil
                case .failure(let error): failure = Failure(error.at(frame.location))
                }
            } else {
                failure = Failure(tag.refusal(found: "a mapping").at(frame.location))
            }
        default:
            failure = Failure(frame.tag.refusal(found: "a mapping").at(frame.location))
        }
        if frame.tag == .none || frame.tag == .map || frame.tag == .set { value = .mapping(pairs) }
        var built = Built(node: YAMLNode(value: value, location: frame.location, wasQuoted: false), failure: failure,
                          kind: .mapping, tag: frame.tag)
        guard keepFacts else { return built }
        let facts = CollectionFacts()
        facts.entries = entriesFailure.map { .failure($0.error) } ?? .success(entries)
        facts.singlePair = frame.singlePair
        facts.valueText = frame.valueText
        built.collection = facts
        return built
    }
}
