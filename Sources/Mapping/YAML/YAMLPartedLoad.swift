#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A large config read in parts, one per core, to exactly the tree a single pass gives.
///
/// Nearly all of a large LiteLLM config is its `model_list`, a block list of deployments, and parsing is the one
/// step of `plan` that cannot otherwise use a second core. The file is cut before lines where an item of that list
/// starts. The first part is read as it is; every later part is read as `model_list:` followed by its own lines, so
/// it has the same nesting, and its nodes carry the file's own lines and columns. Each part is parsed and
/// constructed on its own core, and the parts' lists are joined.
///
/// A cut is only kept when the parts show it was a clean one: the first part's last top-level key is `model_list`
/// with a block list at the cut lines' indentation, every later part is that list's continuation, and no anchor,
/// duplicate or merge key spans two parts. A cut inside a quoted string or a `[ ]` list leaves the first part
/// unfinished, which is an error. On any doubt (a failed check, an error in any part, or a file with tabs, carriage
/// returns, Unicode line breaks or byte order marks, whose positions the cut does not track) `load` returns nil and
/// the caller reads the file in one pass, which also gives every error its usual message and place.
enum YAMLPartedLoad {
    /// Smaller files are read in one pass: a part must be large enough to pay for its thread.
    static let minimumBytes = 512 << 10

    private static let key = Array("model_list".utf8)
    private static let partPrefix = Array("model_list:\n".utf8)

    static func load(_ bytes: [UInt8], file: String, limits: YAMLLimits, parts: Int) -> YAMLNode? {
        guard parts > 1, bytes.count <= limits.maxBytes, let plan = cuts(in: bytes, parts: parts) else { return nil }
        let read = ChunkedWork.each(plan.cuts.count + 1) { index -> Part? in
            let start = index == 0 ? 0 : plan.cuts[index - 1].offset
            let end = index == plan.cuts.count ? bytes.count : plan.cuts[index].offset
            // A later part's line 1 is the `model_list:` put before it; its line 2 is the cut's line.
            let lineOffset = index == 0 ? 0 : Int32(plan.cuts[index - 1].line - 2)
            return readPart(
                prefix: index == 0 ? [] : partPrefix, bytes[start..<end], lineOffset: lineOffset, file: file,
                limits: limits, itemColumn: plan.itemColumn, isFirst: index == 0, isLast: index == plan.cuts.count)
        }
        return join(read.compactMap { $0 }, of: read.count, limits: limits)
    }

    // MARK: - Where to cut

    struct Cut {
        /// The byte offset of the line the part starts with.
        let offset: Int
        /// Its 1-based line number.
        let line: Int
    }

    /// Up to `parts - 1` cuts at `model_list` items, evenly spread over the list, or nil when the file has none
    /// or has what the cut cannot handle.
    static func cuts(in bytes: [UInt8], parts: Int) -> (cuts: [Cut], itemColumn: Int)? {
        bytes.withUnsafeBufferPointer { b -> (cuts: [Cut], itemColumn: Int)? in
            guard let base = b.baseAddress, b.count > 0 else { return nil }
            // Lines are counted by "\n" only: anything else YAML takes as a line break, or skips, rules the cut out.
            if contains(0x09, b) || contains(0x0D, b) { return nil }
            if contains([0xEF, 0xBB, 0xBF], b) || contains([0xC2, 0x85], b) || contains([0xE2, 0x80, 0xA8], b)
                || contains([0xE2, 0x80, 0xA9], b) || b[0] == 0xFF || b[0] == 0xFE || b[0] == 0
            {
                return nil
            }
            // `model_list:` alone on a line at the top level, and the indentation of its first item.
            var line = 0
            var listStart: Int?
            while line < b.count {
                if isKeyLine(b, at: line) {
                    listStart = nextLine(b, after: line)
                    break
                }
                line = nextLine(b, after: line)
            }
            guard var first = listStart else { return nil }
            while first < b.count, isBlankOrComment(b, at: first) { first = nextLine(b, after: first) }
            guard first < b.count else { return nil }
            var itemColumn = 0
            while first + itemColumn < b.count, b[first + itemColumn] == 0x20 { itemColumn += 1 }
            guard isItemLine(b, at: first, indent: itemColumn) else { return nil }

            var cuts: [Cut] = []
            var counted = 0, lines = 1
            for part in 1..<parts {
                let target = first + (b.count - first) * part / parts
                var at = nextLine(b, after: max(target, cuts.last?.offset ?? first))
                while at < b.count, !isItemLine(b, at: at, indent: itemColumn) { at = nextLine(b, after: at) }
                guard at < b.count else { break }
                lines += count(0x0A, base + counted, at - counted)
                counted = at
                cuts.append(Cut(offset: at, line: lines))
            }
            return cuts.isEmpty ? nil : (cuts, itemColumn)
        }
    }

    private static func nextLine(_ b: UnsafeBufferPointer<UInt8>, after start: Int) -> Int {
        guard start < b.count, let hit = memchr(b.baseAddress! + start, 0x0A, b.count - start) else { return b.count }
        return b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
    }

    /// `model_list:` at the start of the line, then only spaces.
    private static func isKeyLine(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + key.count < b.count, b[start + key.count] == UInt8(ascii: ":") else { return false }
        for i in 0..<key.count where b[start + i] != key[i] { return false }
        var i = start + key.count + 1
        while i < b.count, b[i] == 0x20 { i += 1 }
        return i == b.count || b[i] == 0x0A
    }

    private static func isBlankOrComment(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var i = start
        while i < b.count, b[i] == 0x20 { i += 1 }
        return i == b.count || b[i] == 0x0A || b[i] == UInt8(ascii: "#")
    }

    /// Exactly `indent` spaces, then `- ` (or a lone `-`).
    private static func isItemLine(_ b: UnsafeBufferPointer<UInt8>, at start: Int, indent: Int) -> Bool {
        let dash = start + indent
        guard dash + 1 < b.count, b[dash] == UInt8(ascii: "-"), b[dash + 1] == 0x20 || b[dash + 1] == 0x0A else { return false }
        for i in start..<dash where b[i] != 0x20 { return false }
        return true
    }

    private static func contains(_ byte: UInt8, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        memchr(b.baseAddress!, Int32(byte), b.count) != nil
    }

    private static func contains(_ sequence: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count, let hit = memchr(b.baseAddress! + i, Int32(sequence[0]), b.count - i) {
            let at = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if at + sequence.count <= b.count, (1..<sequence.count).allSatisfy({ b[at + $0] == sequence[$0] }) { return true }
            i = at + 1
        }
        return false
    }

    private static func count(_ byte: UInt8, _ start: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var total = 0
        for i in 0..<n where start[i] == byte { total += 1 }
        return total
    }

    // MARK: - Reading and joining the parts

    private struct Part: Sendable {
        let root: YAMLNode
        let anchors: [String]
        let size: Int
    }

    /// One part parsed and constructed, or nil when it has an error or is not the shape a clean cut gives.
    private static func readPart(
        prefix: [UInt8], _ body: ArraySlice<UInt8>, lineOffset: Int32, file: String, limits: YAMLLimits,
        itemColumn: Int, isFirst: Bool, isLast: Bool
    ) -> Part? {
        guard let source = try? YAMLSource(prefix: prefix, body, file: file, limits: limits),
            let document = try? YAMLComposer.compose(source, limits: limits, lineOffset: lineOffset),
            let rootID = document.root,
            isCleanCut(document, root: rootID, itemColumn: itemColumn, lineOffset: lineOffset, isFirst: isFirst, isLast: isLast)
        else { return nil }
        var constructor = YAMLConstructor(document: document, file: file)
        guard let root = try? constructor.construct(rootID) else { return nil }
        return Part(root: root, anchors: document.anchorNames, size: document.rootSize)
    }

    /// The raw shape of a part that continues the `model_list` of the part before it: top-level keys are plain
    /// text (no merge key, no `!!tag`); the first part ends with `model_list` and its block list; a later part starts
    /// with them (and has no other `model_list`), and only the last part has other keys.
    private static func isCleanCut(
        _ document: RawDocument, root: Int32, itemColumn: Int, lineOffset: Int32, isFirst: Bool, isLast: Bool
    ) -> Bool {
        let rootNode = document.nodes[Int(root)]
        guard rootNode.kind == .mapping, rootNode.tag == .map, rootNode.count >= 2 else { return false }
        let kids = document.childIDs(rootNode)
        func isModelList(_ id: Int32) -> Bool { document.bytes(document.nodes[Int(id)]).elementsEqual(key) }
        var index = kids.startIndex
        while index < kids.endIndex {
            let keyNode = document.nodes[Int(kids[index])]
            guard keyNode.kind == .scalar, keyNode.tag == .str, !keyNode.tagged else { return false }
            if !isFirst, index != kids.startIndex, isModelList(kids[index]) { return false }
            index += 2
        }
        let (listKey, list) = isFirst ? (kids[kids.endIndex - 2], kids[kids.endIndex - 1]) : (kids[kids.startIndex], kids[kids.startIndex + 1])
        let keyNode = document.nodes[Int(listKey)], listNode = document.nodes[Int(list)]
        guard isModelList(listKey), !keyNode.quoted, keyNode.column == 1, listNode.kind == .sequence,
            listNode.tag == .seq, !listNode.tagged, !listNode.shared, listNode.column == Int32(itemColumn + 1)
        else { return false }
        if !isFirst {
            guard keyNode.line == lineOffset + 1, listNode.line == lineOffset + 2 else { return false }
            if !isLast, rootNode.count != 2 { return false }
        }
        return true
    }

    /// The first part's tree with the later parts' items appended to its `model_list` and the last part's other
    /// keys after its own, or nil when the parts cannot be joined as one pass would have read them.
    private static func join(_ parts: [Part], of count: Int, limits: YAMLLimits) -> YAMLNode? {
        guard parts.count == count, let first = parts.first, case .mapping(var pairs) = first.root.value else { return nil }
        // Limits one pass checks on the whole document: a repeated anchor is an error, and so is a size over the
        // limit (the parts' sizes add up to a little more than the whole's, so this errs on the side of one pass).
        let anchors = parts.flatMap(\.anchors)
        guard Set(anchors).count == anchors.count, parts.reduce(0, { $0 + $1.size }) <= limits.maxNodes else { return nil }
        guard let listIndex = pairs.firstIndex(where: { $0.key.value == .string("model_list") }),
            case .sequence(var items) = pairs[listIndex].value.value
        else { return nil }
        var topKeys = Set(pairs.map(\.key.value))
        var extra: [YAMLPair] = []
        for part in parts.dropFirst() {
            guard case .mapping(let partPairs) = part.root.value, case .sequence(let partItems) = partPairs[0].value.value else { return nil }
            items += partItems
            for pair in partPairs.dropFirst() {
                // A key repeated across parts is merged by the rules of one dict: read it in one pass.
                guard topKeys.insert(pair.key.value).inserted else { return nil }
                extra.append(pair)
            }
        }
        let list = pairs[listIndex].value
        pairs[listIndex] = YAMLPair(key: pairs[listIndex].key, value: YAMLNode(value: .sequence(items), location: list.location, wasQuoted: list.wasQuoted))
        return YAMLNode(value: .mapping(pairs + extra), location: first.root.location, wasQuoted: first.root.wasQuoted)
    }
}
