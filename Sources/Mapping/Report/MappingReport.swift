/// Where every key of the input config went: Mapped to a gateway object, Manual (a person must act), or Skipped.
public struct MappingReport: Sendable, Hashable {
    public enum Category: String, Sendable, Hashable, CaseIterable, Comparable {
        case mapped = "Mapped"
        case manual = "Manual"
        case skipped = "Skipped"

        public static func < (a: Category, b: Category) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public struct Entry: Sendable, Hashable {
        /// YAML path of the key: `model_list[2].litellm_params.api_key`.
        public let path: String
        public let location: SourceLocation
        public let category: Category
        /// What it became, or what to do.
        public let note: String
    }

    /// In config order (file, line, column).
    public let entries: [Entry]
    public let warnings: [MappingWarning]

    public func entries(_ category: Category) -> [Entry] { entries.filter { $0.category == category } }

    public var counts: [Category: Int] {
        var counts: [Category: Int] = [:]
        for entry in entries { counts[entry.category, default: 0] += 1 }
        return counts
    }
}
