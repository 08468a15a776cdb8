/// A place in a config file: 1-based line and column, as editors show them.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
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
