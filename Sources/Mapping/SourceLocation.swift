import Synchronization
import SynapseContract

/// A place in a config file: 1-based line and column, as editors show them.
///
/// Stored compactly (a config of 10,000 deployments has hundreds of thousands of them): the file name is interned
/// once per process and the location keeps its number; line and column are 32-bit (the loader refuses files that
/// large long before they would not fit).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    let fileID: UInt32
    private let storedLine: UInt32
    private let storedColumn: UInt32

    public init(file: String, line: Int, column: Int) {
        self.init(fileID: SourceFileNames.shared.id(of: file), line: line, column: column)
    }

    /// For the YAML loader, which interns its file name once per document.
    init(fileID: UInt32, line: Int, column: Int) {
        self.fileID = fileID
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    public var file: String { SourceFileNames.shared.name(of: fileID) }
    public var line: Int { Int(storedLine) }
    public var column: Int { Int(storedColumn) }

    public var description: String { "\(file):\(line):\(column)" }

    /// Appends `Markdown.cell(description)`, given `Markdown.cell` of the file name as bytes (callers writing many
    /// locations make it once).
    func appendCell(fileCell: [UInt8], to out: inout TextBuffer) {
        out.append(fileCell)
        out.append(byte: UInt8(ascii: ":"))
        out.append(line)
        out.append(byte: UInt8(ascii: ":"))
        out.append(column)
    }

    /// Appends `description` as a JSON string, given the file name as a JSON string without its closing quote
    /// (callers writing many locations make it once).
    func appendJSONString(openFileString: [UInt8], to out: inout TextBuffer) {
        appendCell(fileCell: openFileString, to: &out)
        out.append(byte: UInt8(ascii: "\""))
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.fileID != b.fileID { return a.file < b.file }  // one id per spelling: equal ids are equal names
        return (a.storedLine, a.storedColumn) < (b.storedLine, b.storedColumn)
    }
}

/// The process-wide table of config file names behind ``SourceLocation``. Names are compared by their bytes, so a
/// location gives back exactly the spelling it was made with.
final class SourceFileNames: Sendable {
    static let shared = SourceFileNames()

    private struct Table {
        var names: [String] = []
        var ids: [[UInt8]: UInt32] = [:]
    }

    private let table = Mutex(Table())

    func id(of name: String) -> UInt32 {
        let key = Array(name.utf8)
        return table.withLock { table in
            if let id = table.ids[key] { return id }
            let id = UInt32(table.names.count)
            table.names.append(name)
            table.ids[key] = id
            return id
        }
    }

    func name(of id: UInt32) -> String {
        table.withLock { $0.names[Int(id)] }
    }
}

/// A config the tool cannot use, with where and what to do: `file:line:col: what is wrong; what to do`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public let location: SourceLocation?
    public let message: String
    public let hint: String

    public init(_ message: String, at location: SourceLocation?, hint: String) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return hint.isEmpty ? "\(place)\(message)" : "\(place)\(message); \(hint)"
    }
}
