/// Typed reads of config values with LiteLLM's leniency and located errors.
///
/// LiteLLM validates `litellm_params` with pydantic in lax mode: `rpm: "100"` is accepted as 100, `rpm: "abc"` is
/// an error. These readers do the same and name the field, the object and the place when they refuse a value.
enum FieldReader {
    static func mapping(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> [YAMLPair] {
        switch node.value {
        case .mapping(let pairs): return pairs
        case .null: return []
        default:
            throw ConfigError("\(what()) must be a mapping, found a \(node.kindName)", at: node.location, hint: "indent its keys under it as key: value lines")
        }
    }

    static func list(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> [YAMLNode] {
        switch node.value {
        case .sequence(let items): return items
        case .null: return []
        default:
            throw ConfigError("\(what()) must be a list, found a \(node.kindName)", at: node.location, hint: "write each entry on its own line starting with '- '")
        }
    }

    /// A required or optional text value. Numbers are accepted as their text (pydantic coerces them for str fields
    /// only in some places, so we say so in the report rather than fail).
    static func string(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> String {
        switch node.value {
        case .string(let s): return s
        case .int, .float, .bool, .bigInt, .date, .timestamp: return node.scalarText
        default:
            throw ConfigError("\(what()) must be text, found a \(node.kindName)", at: node.location, hint: "write a single value, quoted if it contains ':' or '#'")
        }
    }

    /// An integer such as `rpm` or `order`; integral floats and numeric text are accepted like pydantic does.
    static func integer(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> Int? {
        switch node.value {
        case .null: return nil
        case .int(let i): return i
        case .float(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
        case .string(let s):
            if let i = Int(s.trimmingSpaces) { return i }
            throw ConfigError(
                "\(what()) must be a whole number, found the text \"\(s)\"", at: node.location,
                hint: "write a number such as 100 (without quotes)")
        case .bool:
            throw ConfigError("\(what()) must be a whole number, found \(node.scalarText)", at: node.location, hint: "write a number such as 100")
        default:
            throw ConfigError("\(what()) must be a whole number, found a \(node.kindName)", at: node.location, hint: "write a number such as 100")
        }
    }

    /// A number such as a price or a budget. `.inf` and `.nan` are refused: no gateway field can carry them (JSON has
    /// no such numbers) and no LiteLLM setting means anything sensible with them.
    static func number(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> Double? {
        let value: Double
        switch node.value {
        case .null: return nil
        case .int(let i): value = Double(i)
        case .float(let d): value = d
        case .string(let s):
            guard let d = Double(s.trimmingSpaces) else {
                throw ConfigError("\(what()) must be a number, found the text \"\(s)\"", at: node.location, hint: "write a number such as 0.5 (without quotes)")
            }
            value = d
        default:
            throw ConfigError("\(what()) must be a number, found a \(node.kindName)", at: node.location, hint: "write a number such as 0.5")
        }
        guard value.isFinite else {
            throw ConfigError("\(what()) must be a finite number, found \(node.scalarText)", at: node.location, hint: "write a number such as 0.5")
        }
        return value
    }

    /// An amount of money in USD (a budget): a number from 0 up to a trillion, so that it fits in cents.
    static func amount(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> Double? {
        guard let value = try number(node, what()) else { return nil }
        guard value >= 0, value <= 1e12 else {
            throw ConfigError("\(what()) is \(node.scalarText), outside 0 … 1000000000000 USD", at: node.location, hint: "write the budget in USD, for example 100")
        }
        return value
    }

    static func bool(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> Bool? {
        switch node.value {
        case .null: return nil
        case .bool(let b): return b
        case .string(let s) where ["true", "false"].contains(s.lowercased()): return s.lowercased() == "true"
        default:
            throw ConfigError("\(what()) must be true or false, found \(node.scalarText.isEmpty ? "a " + node.kindName : node.scalarText)", at: node.location, hint: "write true or false")
        }
    }

    static func stringList(_ node: YAMLNode, _ what: @autoclosure () -> String) throws(ConfigError) -> [String] {
        if case .string(let s) = node.value { return [s] }
        var out: [String] = []
        for item in try list(node, what()) { out.append(try string(item, "an entry of \(what())")) }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension YAMLNode {
    var isMapping: Bool { if case .mapping = value { return true }; return false }
}
