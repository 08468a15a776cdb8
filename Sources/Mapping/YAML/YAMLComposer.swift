import CYAML

// MARK: - Composing: libyaml events → a node graph (PyYAML's Composer)

/// The tag a node has after PyYAML's resolver (implicit) or as written (explicit).
enum NodeTag: Equatable {
    case str, null, bool, int, float, binary, timestamp, seq, map, set, omap, pairs, merge, value
    /// Any other tag: an index into `RawDocument.otherTags`.
    case other(Int32)

    /// The `tag:yaml.org,2002:` tags SafeConstructor knows (merge and value only as resolver results).
    private static let yamlTags: [(name: String, tag: NodeTag)] = [
        ("str", .str), ("null", .null), ("bool", .bool), ("int", .int), ("float", .float), ("binary", .binary),
        ("timestamp", .timestamp), ("seq", .seq), ("map", .map), ("set", .set), ("omap", .omap), ("pairs", .pairs),
        ("merge", .merge), ("value", .value),
    ]

    static func known(_ tag: UnsafePointer<UInt8>) -> NodeTag? {
        let full = String(cString: tag)
        guard full.hasPrefix("tag:yaml.org,2002:") else { return nil }
        let name = full.dropFirst("tag:yaml.org,2002:".count)
        return yamlTags.first { $0.name == name }?.tag
    }

    /// `!!int` for a known tag; nil for `.other`.
    var shortName: String? { NodeTag.yamlTags.first { $0.tag == self }.map { "!!" + $0.name } }

    /// How a tag is shown in messages: `!!python/object` rather than `tag:yaml.org,2002:python/object`.
    static func shortName(_ tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        if tag.hasPrefix(prefix) { return "!!" + tag.dropFirst(prefix.count) }
        return tag.hasPrefix("!") ? tag : "!<\(tag)>"
    }
}

struct RawNode {
    enum Kind: UInt8 { case scalar, sequence, mapping, alias }
    var kind: Kind
    var tag: NodeTag
    /// A quoted or block scalar.
    var quoted: Bool
    /// The tag was written (`!!int 12`), not resolved.
    var tagged: Bool
    /// Reachable through an alias (anchored, or inside an anchored collection): its construction is shared.
    var shared: Bool
    /// Scalar: offset in the text arena. Collection: offset in `children`. Alias: the target node.
    var start: Int32
    /// Scalar: byte length. Collection: number of children (two per mapping pair).
    var count: Int32
    var line: Int32
    var column: Int32
}

/// Scalar bytes, at a stable address for the document's lifetime.
final class TextArena {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    /// Scalar values are never longer than their source text, so the input's size is usually enough.
    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    func append(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        if count + n > capacity {
            let grown = max(capacity * 2, count + n)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            bigger.update(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity = grown
        }
        (base + count).update(from: p, count: n)
        count += n
        return count - n
    }
}

/// A composed document: nodes in creation order, children lists, scalar bytes.
struct RawDocument {
    let nodes: [RawNode]
    let children: [Int32]
    let otherTags: [String]
    let root: Int32?
    let text: TextArena
    /// The root's node count with aliases expanded.
    let rootSize: Int
    /// The anchors the document defines.
    let anchorNames: [String]

    func bytes(_ node: RawNode) -> Bytes { Bytes(start: text.base + Int(node.start), count: Int(node.count)) }

    func childIDs(_ node: RawNode) -> ArraySlice<Int32> {
        children[Int(node.start)..<Int(node.start + node.count)]
    }

    /// An alias stands for its target.
    func resolved(_ id: Int32) -> Int32 {
        let node = nodes[Int(id)]
        return node.kind == .alias ? node.start : id
    }
}

struct YAMLComposer {
    private let source: YAMLSource
    private let limits: YAMLLimits
    private var nodes: [RawNode] = []
    private var children: [Int32] = []
    private var otherTags: [String] = []
    private var root: Int32?
    private var rootSize = 0
    private let text: TextArena
    /// Added to every node's line: a part of a file read on its own starts further down (see `YAMLPartedLoad`).
    private let lineOffset: Int32

    /// A node waiting for its collection to end, with its size after alias expansion and its nesting height.
    private struct Pending {
        let id: Int32
        let size: Int
        let height: Int32
    }
    private struct Frame {
        let node: Int32
        let firstPending: Int
        let flow: Bool
        let anchor: String?
    }
    private struct Anchor {
        let id: Int32
        var size: Int
        var height: Int32
        /// A collection whose content is still being read: an alias to it would make a cycle.
        var open: Bool
    }
    private var stack: [Frame] = []
    private var pending: [Pending] = []
    private var anchors: [String: Anchor] = [:]
    private var anchoredOpen = 0
    private var flowDepth = 0
    private var documents = 0
    private var firstDocument: SourceLocation?
    /// Scalar extents, kept only when the input has tabs (see `checkTabs`): start and end as (line, column), style.
    private var scalarExtents: [(start: (Int, Int), end: (Int, Int), style: yaml_scalar_style_t)] = []
    /// The minor version's digits in a `%YAML 1.x` directive libyaml refused (x not 1 or 2), for `compose` to fix.
    private var unsupportedVersionMinor: Range<Int>?
    /// A tab starting a block scalar's first line that libyaml refused and PyYAML reads as text, for `compose` to fix.
    private var blockTabFix: (tab: Int, indicator: Int)?
    private let patches: BlockTabPatches

    private init(source: YAMLSource, limits: YAMLLimits, patches: BlockTabPatches, lineOffset: Int32) {
        self.source = source
        self.limits = limits
        self.patches = patches
        self.lineOffset = lineOffset
        text = TextArena(capacity: source.buffer.count)
        // About one node per 12 bytes in a typical config: start there rather than grow from nothing.
        nodes.reserveCapacity(source.buffer.count / 12 + 16)
        children.reserveCapacity(source.buffer.count / 12 + 16)
    }

    static func compose(_ source: YAMLSource, limits: YAMLLimits, lineOffset: Int32 = 0) throws(ConfigError) -> RawDocument {
        var patches = BlockTabPatches()
        while true {
            var composer = YAMLComposer(source: source, limits: limits, patches: patches, lineOffset: lineOffset)
            do {
                try composer.run()
            } catch {
                if let minor = composer.unsupportedVersionMinor {
                    // PyYAML takes any %YAML 1.x; libyaml only 1.1 and 1.2. Say 1.1 and read again.
                    source.buffer[minor.lowerBound] = UInt8(ascii: "1")
                    for i in minor.dropFirst() { source.buffer[i] = UInt8(ascii: " ") }
                    continue
                }
                if let fix = composer.blockTabFix, patches.tabs.count < 10_000,
                    let placeholder = patches.placeholder ?? source.unusedASCIICharacter()
                {
                    patches.placeholder = placeholder
                    patches.tabs.append(fix.tab)
                    source.buffer[fix.tab] = placeholder
                    if source.buffer[fix.indicator] == UInt8(ascii: ">") {
                        patches.folded.insert(fix.indicator)
                        source.buffer[fix.indicator] = UInt8(ascii: "|")
                    }
                    continue
                }
                patches.restore(in: source)
                throw error
            }
            patches.restore(in: source)
            if source.hasTabs { try composer.checkTabs() }
            return RawDocument(
                nodes: composer.nodes, children: composer.children, otherTags: composer.otherTags,
                root: composer.root, text: composer.text, rootSize: composer.rootSize, anchorNames: Array(composer.anchors.keys))
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: source.file, line: Int(line(mark)), column: Int(mark.column) + 1)
    }

    /// The 1-based line of a mark in the file (a part read on its own starts `lineOffset` lines down).
    private func line(_ mark: yaml_mark_t) -> Int32 { Int32(mark.line) + 1 + lineOffset }

    private mutating func run() throws(ConfigError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw ConfigError("out of memory while starting the YAML parser", at: nil, hint: "")
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_input_string(parser, source.buffer.baseAddress, source.buffer.count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw parserError(parser) }
            let type = event.type
            do {
                try handle(&event)
            } catch {
                yaml_event_delete(&event)
                throw error
            }
            yaml_event_delete(&event)
            if type == YAML_STREAM_END_EVENT { break }
        }
    }

    private mutating func handle(_ event: inout yaml_event_t) throws(ConfigError) {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents == 1 {
                firstDocument = location(event.start_mark)
            } else {
                throw ConfigError(
                    "a second YAML document starts here; LiteLLM reads a config with yaml.safe_load, which takes "
                        + "exactly one document (the first starts at \(firstDocument.map { "\($0.line):\($0.column)" } ?? "1:1"))",
                    at: location(event.start_mark),
                    hint: "remove the '---' or '...' line, or move the second document to a file of its own")
            }
        case YAML_ALIAS_EVENT:
            try addAlias(event)
        case YAML_SCALAR_EVENT:
            try addScalar(event)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try startCollection(
                event, kind: .sequence, anchor: data.anchor, tag: data.tag,
                flow: data.style == YAML_FLOW_SEQUENCE_STYLE)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try startCollection(
                event, kind: .mapping, anchor: data.anchor, tag: data.tag, flow: data.style == YAML_FLOW_MAPPING_STYLE)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try endCollection()
        default:
            break
        }
    }

    // MARK: Nodes

    private mutating func add(_ node: RawNode, size: Int, height: Int32) -> Int32 {
        let id = Int32(nodes.count)
        nodes.append(node)
        attach(id, size: size, height: height)
        return id
    }

    /// PyYAML's composer refuses a repeated anchor name within a document.
    private func checkNewAnchor(_ name: String, at mark: yaml_mark_t) throws(ConfigError) {
        guard let first = anchors[name] else { return }
        let node = nodes[Int(first.id)]
        throw ConfigError(
            "the anchor &\(name) is defined twice (first at \(node.line):\(node.column))", at: location(mark),
            hint: "PyYAML refuses a repeated anchor name: rename one of them and the aliases (*\(name)) that mean it")
    }

    /// A written tag (not the non-specific `!`), or nil.
    private static func writtenTag(_ tag: UnsafeMutablePointer<UInt8>?) -> UnsafeMutablePointer<UInt8>? {
        guard let tag, !(tag[0] == UInt8(ascii: "!") && tag[1] == 0) else { return nil }
        return tag
    }

    private mutating func tagValue(_ tag: UnsafeMutablePointer<UInt8>) -> NodeTag {
        if let known = NodeTag.known(UnsafePointer(tag)) { return known }
        otherTags.append(String(cString: tag))
        return .other(Int32(otherTags.count - 1))
    }

    private mutating func addScalar(_ event: yaml_event_t) throws(ConfigError) {
        let data = event.data.scalar
        let style = data.style
        let anchor = data.anchor.map { String(cString: $0) }
        if let anchor { try checkNewAnchor(anchor, at: event.start_mark) }
        let at = text.append(data.value, data.length)
        var length = data.length
        if let standIn = source.bomStandIn { restoreBOMs(text.base + at, length, standIn: standIn) }
        if style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE {
            let indicator = try checkBlockHeader(event)
            if let placeholder = patches.placeholder, style == YAML_LITERAL_SCALAR_STYLE {
                for i in 0..<length where text.base[at + i] == placeholder { text.base[at + i] = 0x09 }
                if patches.folded.contains(indicator) { length = BlockTabPatches.fold(text.base + at, length) }
            }
        }
        let value = Bytes(start: text.base + at, count: length)

        let isPlain = style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE
        let written = YAMLComposer.writtenTag(data.tag)
        let tag: NodeTag
        if let written {
            tag = tagValue(written)
        } else if data.tag != nil || isPlain || data.plain_implicit != 0 {
            // PyYAML resolves a plain scalar without a tag, or any scalar tagged with the non-specific `!`.
            tag = YAMLResolver.resolve(value)
        } else {
            tag = .str
        }

        if flowDepth > 0, isPlain, let question = value.firstIndex(of: UInt8(ascii: "?")) {
            // On one line, point at the '?' itself (columns count characters, not bytes).
            var at = location(event.start_mark)
            if event.start_mark.line == event.end_mark.line {
                let before = value[..<question].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                at = SourceLocation(file: at.file, line: at.line, column: at.column + before)
            }
            throw ConfigError(
                "a '?' inside an unquoted value in a [ ] or { } collection: PyYAML reads it as a key indicator and "
                    + "fails", at: at, hint: "quote the value")
        }
        if source.hasTabs {
            scalarExtents.append(
                ((Int(event.start_mark.line), Int(event.start_mark.column)),
                 (Int(event.end_mark.line), Int(event.end_mark.column)), style))
        }

        let id = add(
            RawNode(
                kind: .scalar, tag: tag, quoted: !isPlain, tagged: written != nil,
                shared: anchoredOpen > 0 || anchor != nil, start: Int32(at), count: Int32(length),
                line: line(event.start_mark), column: Int32(event.start_mark.column) + 1),
            size: 1, height: 0)
        if let anchor { anchors[anchor] = Anchor(id: id, size: 1, height: 0, open: false) }
    }

    /// Maps the stand-in character back to U+FEFF (both are three bytes).
    private func restoreBOMs(_ start: UnsafeMutablePointer<UInt8>, _ n: Int, standIn: [UInt8]) {
        var i = 0
        while i + 2 < n {
            if start[i] == standIn[0], start[i + 1] == standIn[1], start[i + 2] == standIn[2] {
                start[i] = 0xEF; start[i + 1] = 0xBB; start[i + 2] = 0xBF
                i += 3
            } else {
                i += 1
            }
        }
    }

    private mutating func startCollection(
        _ event: yaml_event_t, kind: RawNode.Kind, anchor anchorName: UnsafeMutablePointer<UInt8>?,
        tag: UnsafeMutablePointer<UInt8>?, flow: Bool
    ) throws(ConfigError) {
        if stack.count >= limits.maxDepth {
            throw ConfigError(
                "the document nests lists and mappings more than \(limits.maxDepth) levels deep",
                at: location(event.start_mark), hint: "flatten the structure; no LiteLLM setting needs such depth")
        }
        let anchor = anchorName.map { String(cString: $0) }
        if let anchor { try checkNewAnchor(anchor, at: event.start_mark) }
        let resolvedTag: NodeTag
        if let written = YAMLComposer.writtenTag(tag) {
            resolvedTag = tagValue(written)
        } else {
            resolvedTag = kind == .sequence ? .seq : .map
        }
        let id = Int32(nodes.count)
        nodes.append(
            RawNode(
                kind: kind, tag: resolvedTag, quoted: false, tagged: false, shared: anchoredOpen > 0 || anchor != nil,
                start: 0, count: 0, line: line(event.start_mark), column: Int32(event.start_mark.column) + 1))
        // PyYAML registers a collection's anchor before its content.
        if let anchor {
            anchors[anchor] = Anchor(id: id, size: 0, height: 0, open: true)
            anchoredOpen += 1
        }
        if flow { flowDepth += 1 }
        stack.append(Frame(node: id, firstPending: pending.count, flow: flow, anchor: anchor))
    }

    private mutating func endCollection() throws(ConfigError) {
        let frame = stack.removeLast()
        if frame.flow { flowDepth -= 1 }
        var size = 1
        var height: Int32 = 0
        let first = frame.firstPending
        let id = Int(frame.node)
        nodes[id].start = Int32(children.count)
        nodes[id].count = Int32(pending.count - first)
        for i in first..<pending.count {
            let kid = pending[i]
            children.append(kid.id)
            size = size.addingReportingOverflow(kid.size).partialValue
            height = max(height, kid.height)
        }
        pending.removeLast(pending.count - first)
        height += 1
        if size > limits.maxNodes || size < 0 {
            let node = nodes[id]
            throw ConfigError(
                "with its aliases expanded, the value that starts here has more than \(limits.maxNodes) nodes",
                at: SourceLocation(file: source.file, line: Int(node.line), column: Int(node.column)),
                hint: "aliases (*name) that repeat large anchored values, nested, multiply the document's size "
                    + "(a \"billion laughs\" file): use fewer nested aliases")
        }
        if let anchor = frame.anchor {
            anchors[anchor] = Anchor(id: frame.node, size: size, height: height, open: false)
            anchoredOpen -= 1
        }
        attach(frame.node, size: size, height: height)
    }

    /// A finished node: the root, or waiting for its collection to end.
    private mutating func attach(_ id: Int32, size: Int, height: Int32) {
        if stack.isEmpty {
            root = id
            rootSize = size
        } else {
            pending.append(Pending(id: id, size: size, height: height))
        }
    }

    private mutating func addAlias(_ event: yaml_event_t) throws(ConfigError) {
        let name = String(cString: event.data.alias.anchor)
        guard let target = anchors[name] else {
            throw ConfigError(
                "the alias *\(name) refers to no anchor &\(name) before it", at: location(event.start_mark),
                hint: "define the anchor (&\(name)) earlier in the file, or fix the alias's spelling")
        }
        if target.open {
            throw ConfigError(
                "the alias *\(name) is inside the value it refers to (a recursive structure)",
                at: location(event.start_mark), hint: "LiteLLM configs cannot be recursive: remove this alias")
        }
        if stack.count + Int(target.height) > limits.maxDepth {
            throw ConfigError(
                "with the alias *\(name) expanded, the document nests more than \(limits.maxDepth) levels deep",
                at: location(event.start_mark), hint: "flatten the structure or use fewer nested aliases")
        }
        _ = add(
            RawNode(
                kind: .alias, tag: .str, quoted: false, tagged: false, shared: anchoredOpen > 0, start: target.id,
                count: 0, line: line(event.start_mark), column: Int32(event.start_mark.column) + 1),
            size: target.size, height: target.height)
    }

    // MARK: PyYAML's stricter scanner

    /// The byte offset of a block scalar's `|` or `>`, from the start of its node (which includes any anchor or tag).
    private mutating func blockIndicator(from mark: yaml_mark_t) -> Int {
        let b = source.buffer
        var i = source.byteOffset(line: Int(mark.line), column: Int(mark.column))
        while i < b.count, b[i] != UInt8(ascii: "|"), b[i] != UInt8(ascii: ">") {
            if b[i] == UInt8(ascii: "!"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "<") {
                while i < b.count, b[i] != UInt8(ascii: ">") { i += 1 }
            } else if b[i] == UInt8(ascii: "#") {
                while i < b.count, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
                continue
            }
            i += 1
        }
        return i
    }

    /// After `|` or `>` and its indicators PyYAML wants a space or a line break (`|#` and `|<tab>` fail there).
    /// Returns the indicator's offset.
    private mutating func checkBlockHeader(_ event: yaml_event_t) throws(ConfigError) -> Int {
        let b = source.buffer
        let indicator = blockIndicator(from: event.start_mark)
        var i = indicator + 1
        var sawChomp = false, sawIndent = false
        while i < b.count {
            let c = b[i]
            if !sawChomp, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                sawChomp = true
            } else if !sawIndent, c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") {
                sawIndent = true
            } else {
                break
            }
            i += 1
        }
        guard i < b.count else { return indicator }
        let c = b[i]
        let isBreak =
            c == 0x0A || c == 0x0D || (c == 0xC2 && i + 1 < b.count && b[i + 1] == 0x85)
            || (c == 0xE2 && i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9))
        if c == UInt8(ascii: " ") || isBreak { return indicator }
        throw ConfigError(
            "after a block scalar's '|' or '>' (and its + - or digit), PyYAML wants a space or the end of the line",
            at: source.location(ofByte: i),
            hint: c == 0x09 ? "replace the tab with a space" : "put a space before the comment or move the text to the next line")
    }

    /// libyaml refuses a tab right after the leading spaces of a block scalar's first line while it works out the
    /// indentation; PyYAML reads it as the first character of the text. Whether this error is that case.
    private mutating func findBlockTab(problem: yaml_mark_t, context: yaml_mark_t) {
        let b = source.buffer
        let tab = source.byteOffset(line: Int(problem.line), column: Int(problem.column))
        let indicator = source.byteOffset(line: Int(context.line), column: Int(context.column))
        guard tab < b.count, b[tab] == 0x09, indicator < tab,
            b[indicator] == UInt8(ascii: "|") || b[indicator] == UInt8(ascii: ">")
        else { return }
        // No indentation digit in the header; nothing but spaces and line breaks from the next line to the tab.
        var i = indicator + 1
        while i < b.count, b[i] != 0x0A, b[i] != 0x0D {
            if b[i] >= UInt8(ascii: "1") && b[i] <= UInt8(ascii: "9") { return }
            if b[i] == UInt8(ascii: "#") { break }
            i += 1
        }
        while i < b.count, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
        while i < tab {
            guard b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D else { return }
            i += 1
        }
        blockTabFix = (tab, indicator)
    }

    /// PyYAML's scanner only skips spaces between tokens: a tab anywhere but inside a quoted string, in a block
    /// scalar's text or in a comment is "found character '\t' that cannot start any token". libyaml is laxer.
    private mutating func checkTabs() throws(ConfigError) {
        let starts = source.lineStarts
        let b = source.buffer
        func inside(_ p: (Int, Int), _ range: (start: (Int, Int), end: (Int, Int), style: yaml_scalar_style_t)) -> Bool {
            (range.start.0, range.start.1) <= p && p < (range.end.0, range.end.1)
        }
        // The scalar containing position p, by binary search (scalar events come in document order).
        func extent(at p: (Int, Int)) -> (start: (Int, Int), end: (Int, Int), style: yaml_scalar_style_t)? {
            var lo = 0, hi = scalarExtents.count - 1, found = -1
            while lo <= hi {
                let mid = (lo + hi) / 2
                if scalarExtents[mid].start <= p { found = mid; lo = mid + 1 } else { hi = mid - 1 }
            }
            return found >= 0 && inside(p, scalarExtents[found]) ? scalarExtents[found] : nil
        }

        func isBlock(_ style: yaml_scalar_style_t) -> Bool {
            style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE
        }

        var line = 0
        for offset in 0..<b.count where b[offset] == 0x09 {
            while line + 1 < starts.count, starts[line + 1] <= offset { line += 1 }
            // Walk the line up to the tab: the tab's column, and whether a comment started before it.
            var column = 0
            var i = starts[line]
            var inComment = false
            var previous: UInt8 = 0x0A
            while i < offset {
                let c = b[i]
                if c == UInt8(ascii: "#"), !inComment, previous == 0x20 || previous == 0x09 || previous == 0x0A {
                    // Outside any scalar, or on a block scalar's header line (`| # comment`).
                    if let range = extent(at: (line, column)) {
                        inComment = isBlock(range.style) && range.start.0 == line
                    } else {
                        inComment = true
                    }
                }
                if c & 0xC0 != 0x80 { column += 1 }
                previous = c
                i += 1
            }
            if inComment { continue }
            if let range = extent(at: (line, column)) {
                let style = range.style
                if style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE { continue }
                // A block scalar's text, but not its header line (`|` and indicators), is free text.
                if isBlock(style), line > range.start.0 {
                    continue
                }
            }
            throw ConfigError(
                "a tab character here: PyYAML (which LiteLLM uses) allows tabs only inside quoted strings, block "
                    + "scalars (| or >) and comments", at: SourceLocation(file: source.file, line: line + 1, column: column + 1),
                hint: "indent and separate with spaces, not tabs")
        }
    }

    // MARK: libyaml errors

    private mutating func parserError(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> ConfigError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = p.context.map { String(cString: $0) }
        switch p.error {
        case YAML_MEMORY_ERROR:
            return ConfigError("out of memory while parsing YAML", at: nil, hint: "")
        case YAML_READER_ERROR:
            var offset = min(Int(p.problem_offset), source.buffer.count)
            if problem != "control characters are not allowed" {
                // libyaml names the byte where a UTF-8 sequence went wrong: point at the sequence's first byte.
                var lead = offset - 1
                while lead >= 0, offset - lead < 4, source.buffer[lead] & 0xC0 == 0x80 { lead -= 1 }
                if lead >= 0, source.buffer[lead] >= 0xC0 {
                    let c = source.buffer[lead]
                    let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                    if lead + length > offset { offset = lead }
                }
            }
            let at = source.location(ofByte: offset)
            if problem == "control characters are not allowed" {
                let code = String(UInt32(bitPattern: p.problem_value), radix: 16, uppercase: true)
                return ConfigError(
                    "the file contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), "
                        + "which YAML does not allow", at: at,
                    hint: p.problem_value == 0
                        ? "a NUL byte means this is not a text file (or it is UTF-16): save the config as UTF-8 text"
                        : "remove the character; a YAML file is printable UTF-8 text")
            }
            return ConfigError(
                "the file is not valid UTF-8 (\(problem))", at: at,
                hint: "LiteLLM reads its config as UTF-8: save the file as UTF-8")
        default:
            if problem == "found incompatible YAML document" { findVersionMinor(at: p.problem_mark) }
            if problem == "found a tab character where an indentation space is expected",
                context == "while scanning a block scalar"
            {
                findBlockTab(problem: p.problem_mark, context: p.context_mark)
            }
            let at = location(p.problem_mark)
            let contextPlace = context.map { _ in "\(p.context_mark.line + 1):\(p.context_mark.column + 1)" }
            let (message, hint) = YAMLComposer.explain(
                problem: problem, context: context, contextPlace: contextPlace,
                tabHere: byteAt(p.problem_mark) == 0x09)
            return ConfigError(message, at: at, hint: hint)
        }
    }

    /// `%YAML 1.<digits>` at `mark`: remembers where the digits are.
    private mutating func findVersionMinor(at mark: yaml_mark_t) {
        let b = source.buffer
        var i = source.byteOffset(line: Int(mark.line), column: Int(mark.column))
        for c in "%YAML".utf8 {
            guard i < b.count, b[i] == c else { return }
            i += 1
        }
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        guard i + 1 < b.count, b[i] == UInt8(ascii: "1"), b[i + 1] == UInt8(ascii: ".") else { return }
        let start = i + 2
        var end = start
        while end < b.count, b[end] >= UInt8(ascii: "0") && b[end] <= UInt8(ascii: "9") { end += 1 }
        if end > start { unsupportedVersionMinor = start..<end }
    }

    private func byteAt(_ mark: yaml_mark_t) -> UInt8? {
        let i = source.byteOffset(line: Int(mark.line), column: Int(mark.column))
        return i < source.buffer.count ? source.buffer[i] : nil
    }

    /// libyaml's problem in words a config author can act on, with what to do. `contextPlace` is "line:column" of
    /// the construct the problem is in (a quoted string, a list, a mapping), when libyaml gives one.
    static func explain(problem: String, context: String?, contextPlace: String?, tabHere: Bool) -> (String, String) {
        let checkIndent = "check the indentation of this line against the lines above"
        if tabHere {
            return ("a tab character here: YAML indentation must be spaces", "replace the tab with spaces")
        }
        let place = contextPlace ?? "?"
        let within: String
        switch context {
        case "while parsing a block mapping": within = " in the mapping that starts at \(place)"
        case "while parsing a block collection": within = " in the list that starts at \(place)"
        case "while parsing a flow sequence": within = " in the [ ] list that starts at \(place)"
        case "while parsing a flow mapping": within = " in the { } mapping that starts at \(place)"
        case "while scanning a quoted scalar", "while parsing a quoted scalar":
            within = " in the quoted string that starts at \(place)"
        case "while scanning a block scalar": within = " in the block scalar that starts at \(place)"
        case .some(let other): within = " (\(other.hasPrefix("while ") ? other.dropFirst(6) : Substring(other)) at \(place))"
        case nil: within = ""
        }
        switch problem {
        case "mapping values are not allowed in this context":
            return ("mapping values are not allowed here",
                    "check the indentation of this line and quote values that contain ': '")
        case "did not find expected key":
            return ("expected a key here\(within)",
                    "\(checkIndent); a '- ' list item or a key may be indented differently from its siblings, "
                        + "or a quoted value may be followed by more text")
        case "did not find expected '-' indicator":
            return ("expected a '- ' list item here\(within)", checkIndent)
        case "block sequence entries are not allowed in this context":
            return ("a '- ' list item is not allowed here",
                    "put the list on its own lines under the key, indented, or quote a value that starts with '- '")
        case "found character that cannot start any token":
            return ("found a character that cannot start a value here\(within)",
                    "quote values that start with @, `, %, | or >, and indent with spaces, not tabs")
        case "found unexpected end of stream":
            if context == "while scanning a quoted scalar" {
                return ("the quoted string that starts at \(place) is never closed",
                        "close the quote, or use the other quote character for a value that contains this one")
            }
            return ("the file ends in the middle of a value\(within)", "complete or remove the unfinished value")
        case "found unknown escape character":
            return ("unknown escape sequence\(within)",
                    "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes")
        case "found invalid Unicode character escape code":
            return ("an escape for an invalid character\(within) (a UTF-16 surrogate such as \\ud83d, or beyond U+10FFFF)",
                    "write the character itself, or \\U0001F600-style escapes for characters beyond U+FFFF")
        case "could not find expected ':'":
            return ("expected ':' after a key\(within)",
                    "a key must be followed by ': ' on the same line; quote a value that spans lines")
        case "did not find expected node content":
            return ("expected a value here\(within)", "complete the value or remove the stray indicator")
        case "did not find expected ',' or ']'":
            return ("expected ',' or ']' here\(within)", "separate items with ', ' and end the list with ']'")
        case "did not find expected ',' or '}'":
            return ("expected ',' or '}' here\(within)", "separate entries with ', ' and end the mapping with '}'")
        case "found a tab character that violates indentation",
            "found a tab character where an indentation space is expected":
            return ("a tab character in the indentation\(within)", "indent with spaces, not tabs")
        case "found undefined tag handle":
            return ("unknown tag handle\(within)", "remove the tag, or declare its handle with a %TAG directive")
        case "did not find expected <document start>":
            return ("expected '---' after the directives", "start the document with a '---' line")
        case "found incompatible YAML document":
            return ("this %YAML version is not supported", "use %YAML 1.1 or remove the directive")
        default:
            return ("\(problem)\(within)", "check the YAML syntax here: indentation, quoting, and ': ' after keys")
        }
    }
}

/// Tabs that begin a block scalar's first line, which PyYAML takes as text and libyaml refuses while it works out the
/// indentation. Each is replaced by a character the file does not use before libyaml reads it again, and put back in
/// the scalar's text; a folded scalar (`>`) is read as literal (`|`) and folded here as PyYAML folds.
struct BlockTabPatches {
    var placeholder: UInt8?
    var tabs: [Int] = []
    /// Offsets of `>` indicators read as `|`.
    var folded: Set<Int> = []

    func restore(in source: YAMLSource) {
        for tab in tabs { source.buffer[tab] = 0x09 }
        for indicator in folded { source.buffer[indicator] = UInt8(ascii: ">") }
    }

    /// PyYAML's folding of a block scalar, from its literal text: between two text lines joined by one "\n", a
    /// space when neither starts with a space or tab; with empty lines between, the first "\n" is dropped. Returns
    /// the new length (never longer).
    static func fold(_ text: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var end = count
        while end > 0, text[end - 1] == 0x0A { end -= 1 }  // the chomped final breaks stay as they are
        var out = 0, i = 0
        var previousStartsWithText: Bool? = nil  // nil before the first text line
        while i < end {
            // Line breaks before the next text line.
            var breaks = 0
            while i < end, text[i] == 0x0A { breaks += 1; i += 1 }
            let startsWithText = text[i] != 0x20 && text[i] != 0x09
            if let previous = previousStartsWithText, previous, startsWithText {
                if breaks == 1 {
                    text[out] = 0x20; out += 1
                } else {
                    for _ in 1..<breaks { text[out] = 0x0A; out += 1 }
                }
            } else {
                for _ in 0..<breaks { text[out] = 0x0A; out += 1 }
            }
            previousStartsWithText = startsWithText
            while i < end, text[i] != 0x0A { text[out] = text[i]; out += 1; i += 1 }
        }
        for _ in end..<count { text[out] = 0x0A; out += 1 }
        return out
    }
}
