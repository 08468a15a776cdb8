/// The node graph of one document before construction, as PyYAML's composer builds it: scalars already typed,
/// collections as ranges of child references, aliases as references to the anchored node (shared, not copied).
///
/// ```swift
/// let doc = try YAMLComposer.compose(bytes, file: "config.yaml", limits: .default)
/// let root = doc.root.map { doc.nodes[Int($0.node)] }   // nil for an empty file
/// ```
struct YAMLComposedDocument {
    enum Kind: UInt8 { case scalar, sequence, mapping }

    /// The tags SafeConstructor knows, plus the ones it refuses.
    enum Tag: Equatable {
        case none, str, int, float, bool, null, binary, timestamp, seq, map, set, omap, pairs, merge, value
        case other(String)

        private static let known: [String: Tag] = [
            "tag:yaml.org,2002:str": .str, "tag:yaml.org,2002:int": .int, "tag:yaml.org,2002:float": .float,
            "tag:yaml.org,2002:bool": .bool, "tag:yaml.org,2002:null": .null, "tag:yaml.org,2002:binary": .binary,
            "tag:yaml.org,2002:timestamp": .timestamp, "tag:yaml.org,2002:seq": .seq, "tag:yaml.org,2002:map": .map,
            "tag:yaml.org,2002:set": .set, "tag:yaml.org,2002:omap": .omap, "tag:yaml.org,2002:pairs": .pairs,
            "tag:yaml.org,2002:merge": .merge, "tag:yaml.org,2002:value": .value,
        ]

        /// A tag as libyaml reports it (handles already expanded); `!` alone means "not specific", like no tag.
        init(_ text: String) {
            self = text == "!" ? .none : Tag.known[text] ?? .other(text)
        }

        /// The tag as PyYAML prints it in messages.
        var name: String {
            switch self {
            case .other(let text): return text
            case .none: return "?"
            default: return "tag:yaml.org,2002:\(self)"
            }
        }
    }

    struct Node {
        var kind: Kind
        var tag: Tag
        /// A scalar's typed value (for `<<`, `=` and refused tags: its text); `.null` for collections.
        var value: YAMLNode.Value
        /// A scalar's text as written (escapes processed), for tags applied through a `=` key.
        var text: String
        var wasQuoted: Bool
        var line: Int32
        var column: Int32
        /// Children in `YAMLComposedDocument.children`: items of a sequence, key/value pairs of a mapping.
        var childStart: Int32 = 0
        var childCount: Int32 = 0
        var anchored = false
        /// Nodes in this subtree with aliases expanded, and how many collection levels it nests (0 for a scalar);
        /// final once `finished`.
        var expandedSize = 1
        var height = 0
        var finished = true
    }

    /// A use of a node: in place, or through an alias written at `aliasLine:aliasColumn` (0 when not an alias).
    struct Child {
        var node: Int32
        var aliasLine: Int32 = 0
        var aliasColumn: Int32 = 0
    }

    var nodes: [Node] = []
    var children: [Child] = []
    var root: Child?

    func childRefs(of node: Node) -> ArraySlice<Child> {
        children[Int(node.childStart)..<Int(node.childStart + node.childCount)]
    }
}
