import SynapseContract

/// Where every key of the input config went: Mapped to a gateway object, Manual (a person must act), or Skipped.
public struct MappingReport: Sendable {
    public enum Category: String, Sendable, Hashable, CaseIterable, Comparable {
        case mapped = "Mapped"
        case manual = "Manual"
        case skipped = "Skipped"

        public static func < (a: Category, b: Category) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public struct Entry: Sendable, CustomStringConvertible {
        /// YAML path of the key: `model_list[2].litellm_params.api_key`.
        public let path: String
        public let location: SourceLocation
        public let category: Category
        /// What it became, or what to do.
        public let note: String

        public var description: String { "\(path) (\(location), \(category.rawValue)): \(note)" }
    }

    /// In config order (file, line, column).
    public let entries: Entries
    public let warnings: [MappingWarning]
    /// Entries per category (counted once: reports read them several times).
    public let counts: [Category: Int]

    init(entries: Entries, warnings: [MappingWarning]) {
        self.entries = entries
        self.warnings = warnings
        var mapped = 0, manual = 0, skipped = 0
        for entry in entries.stored {
            switch entry.category {
            case .mapped: mapped += 1
            case .manual: manual += 1
            case .skipped: skipped += 1
            }
        }
        self.counts = [.mapped: mapped, .manual: manual, .skipped: skipped]
    }

    /// The entries, stored compactly: a report of 10,000 deployments has over 100,000 of them, and most share their
    /// path prefix with their siblings, their key text with thousands of others and their note with thousands more.
    /// Reading one builds an ``Entry``.
    public struct Entries: RandomAccessCollection, Sendable {
        struct Stored: Sendable {
            let location: SourceLocation
            let key: Int32
            let prefix: Int32
            let note: Int32
            let category: Category
        }

        /// A path up to a key, with its separator: `parent` then `keys[key]` (with `[index]` when it is a list
        /// item) then `.`; `model_list[2].litellm_params.` is `litellm_params` under `model_list[2]` under the top.
        struct Prefix: Sendable {
            let parent: Int32
            let key: Int32
            let index: Int32
        }

        private(set) var stored: [Stored] = []
        /// 0 is the top level (""); its fields are unused.
        private var prefixes: [Prefix] = [Prefix(parent: 0, key: 0, index: -1)]
        private var keys: [String] = []
        private var notes: [String] = []
        /// Where each note is in `notes` (notes are few: one per rule, plus the overrides mapping made).
        private var noteIDs: [String: Int32] = [:]

        init() {}

        public var startIndex: Int { 0 }
        public var endIndex: Int { stored.count }

        public subscript(position: Int) -> Entry {
            let entry = stored[position]
            return Entry(
                path: prefixText(entry.prefix) + keys[Int(entry.key)], location: entry.location, category: entry.category,
                note: notes[Int(entry.note)])
        }

        mutating func reserveCapacity(_ count: Int) { stored.reserveCapacity(count) }

        /// The number of a key text; the classifier asks once per rule pattern, not once per entry.
        mutating func keyID(_ key: String) -> Int32 {
            keys.append(key)
            return Int32(keys.count - 1)
        }

        /// A new path prefix, for the keys of one mapping: `key.` (index nil) or `key[index].` under `parent`.
        mutating func addPrefix(parent: Int32, key: Int32, index: Int?) -> Int32 {
            prefixes.append(Prefix(parent: parent, key: key, index: index.map { Int32($0) } ?? -1))
            return Int32(prefixes.count - 1)
        }

        /// The note's number, added on first use.
        mutating func noteID(_ note: String) -> Int32 {
            if let id = noteIDs[note] { return id }
            notes.append(note)
            let id = Int32(notes.count - 1)
            noteIDs[note] = id
            return id
        }

        mutating func append(prefix: Int32, key: Int32, location: SourceLocation, category: Category, note: Int32) {
            stored.append(Stored(location: location, key: key, prefix: prefix, note: note, category: category))
        }

        /// The text of a path prefix: `model_list[2].litellm_params.`, or "" for the top level.
        func prefixText(_ id: Int32) -> String {
            if id == 0 { return "" }
            let prefix = prefixes[Int(id)]
            let index = prefix.index >= 0 ? "[\(prefix.index)]" : ""
            return prefixText(prefix.parent) + keys[Int(prefix.key)] + index + "."
        }

        /// `Markdown.cell` of every key and note text, as bytes: a report writes the same few hundred texts in over
        /// a hundred thousand rows, so each is escaped once.
        struct Cells {
            fileprivate let keys: [[UInt8]]
            fileprivate let notes: [[UInt8]]
        }

        func cells() -> Cells {
            Cells(keys: keys.map { Array(Markdown.cell($0).utf8) }, notes: notes.map { Array(Markdown.cell($0).utf8) })
        }

        /// Appends `Markdown.cell(path)` of entry `position` without joining the path first. The pieces meet at `.`
        /// or `[`, where no character can span them, so escaping them one by one is escaping the whole.
        func appendPathCell(_ position: Int, cells: Cells, to out: inout TextBuffer) {
            let entry = stored[position]
            appendPrefixCell(entry.prefix, cells: cells, to: &out)
            out.append(cells.keys[Int(entry.key)])
        }

        /// Appends `Markdown.cell(note)` of entry `position`.
        func appendNoteCell(_ position: Int, cells: Cells, to out: inout TextBuffer) {
            out.append(cells.notes[Int(stored[position].note)])
        }

        private func appendPrefixCell(_ id: Int32, cells: Cells, to out: inout TextBuffer) {
            if id == 0 { return }
            let prefix = prefixes[Int(id)]
            appendPrefixCell(prefix.parent, cells: cells, to: &out)
            out.append(cells.keys[Int(prefix.key)])
            if prefix.index >= 0 {
                out.append(byte: UInt8(ascii: "["))
                out.append(Int(prefix.index))
                out.append(byte: UInt8(ascii: "]"))
            }
            out.append(byte: UInt8(ascii: "."))
        }

        func category(_ position: Int) -> Category { stored[position].category }
        func location(_ position: Int) -> SourceLocation { stored[position].location }
    }
}
