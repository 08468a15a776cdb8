/// Bounds that keep a hostile or broken config from exhausting memory or time while it is loaded.
///
/// ```swift
/// var limits = YAMLLimits.default
/// limits.maxDepth = 64
/// let root = try YAMLLoader.load(bytes, file: "config.yaml", limits: limits)
/// ```
public struct YAMLLimits: Sendable, Hashable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of lists and mappings, counting what aliases expand to.
    public var maxDepth: Int
    /// Most nodes in the document once every alias is expanded (stops "billion laughs" alias bombs).
    public var maxNodes: Int

    public init(maxBytes: Int, maxDepth: Int, maxNodes: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// 32 MiB, 256 levels, 2,000,000 nodes.
    public static let `default` = YAMLLimits(maxBytes: 32 << 20, maxDepth: 256, maxNodes: 2_000_000)
}
