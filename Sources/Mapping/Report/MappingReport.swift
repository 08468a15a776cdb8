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

    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The path up to the key, shared by the key's siblings (`model_list[2].litellm_params.`), and the key
        /// (`api_key`): a report of 10,000 deployments has over 100,000 entries, and joining every path up front
        /// costs more than the rest of the entry.
        let pathPrefix: String
        let key: String
        public let location: SourceLocation
        public let category: Category
        /// What it became, or what to do.
        public let note: String

        init(pathPrefix: String, key: String, location: SourceLocation, category: Category, note: String) {
            self.pathPrefix = pathPrefix
            self.key = key
            self.location = location
            self.category = category
            self.note = note
        }

        init(path: String, location: SourceLocation, category: Category, note: String) {
            self.init(pathPrefix: "", key: path, location: location, category: category, note: note)
        }

        /// YAML path of the key: `model_list[2].litellm_params.api_key`.
        public var path: String { pathPrefix.isEmpty ? key : pathPrefix + key }

        public var description: String { "\(path) (\(location), \(category.rawValue)): \(note)" }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.path == b.path && a.location == b.location && a.category == b.category && a.note == b.note
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(path)
            hasher.combine(location)
            hasher.combine(category)
            hasher.combine(note)
        }
    }

    /// In config order (file, line, column).
    public let entries: [Entry]
    public let warnings: [MappingWarning]
    /// Entries per category (counted once: reports read them several times).
    public let counts: [Category: Int]

    init(entries: [Entry], warnings: [MappingWarning]) {
        self.entries = entries
        self.warnings = warnings
        var mapped = 0, manual = 0, skipped = 0
        for entry in entries {
            switch entry.category {
            case .mapped: mapped += 1
            case .manual: manual += 1
            case .skipped: skipped += 1
            }
        }
        self.counts = [.mapped: mapped, .manual: manual, .skipped: skipped].filter { $0.value > 0 }
    }

    public func entries(_ category: Category) -> [Entry] { entries.filter { $0.category == category } }
}
