/// The tags SafeConstructor knows (as libyaml reports them, handles expanded), plus any other tag, which it refuses.
///
/// ```swift
/// YAMLTag("tag:yaml.org,2002:int")   // .int
/// YAMLTag("!Ref")                    // .other("!Ref")
/// YAMLTag("!")                       // .none: "not specific", like no tag
/// ```
enum YAMLTag: Equatable {
    case none, str, int, float, bool, null, binary, timestamp, seq, map, set, omap, pairs, merge, value
    case other(String)

    private static let known: [String: YAMLTag] = [
        "tag:yaml.org,2002:str": .str, "tag:yaml.org,2002:int": .int, "tag:yaml.org,2002:float": .float,
        "tag:yaml.org,2002:bool": .bool, "tag:yaml.org,2002:null": .null, "tag:yaml.org,2002:binary": .binary,
        "tag:yaml.org,2002:timestamp": .timestamp, "tag:yaml.org,2002:seq": .seq, "tag:yaml.org,2002:map": .map,
        "tag:yaml.org,2002:set": .set, "tag:yaml.org,2002:omap": .omap, "tag:yaml.org,2002:pairs": .pairs,
        "tag:yaml.org,2002:merge": .merge, "tag:yaml.org,2002:value": .value,
    ]

    init(_ text: String) {
        self = text == "!" ? .none : YAMLTag.known[text] ?? .other(text)
    }

    /// The tag as PyYAML prints it in messages.
    var name: String {
        switch self {
        case .other(let text): return text
        case .none: return "!"
        default: return "tag:yaml.org,2002:\(self)"
        }
    }

    // Pattern tests, cheaper than `==` on an enum with a payload in the per-node path.
    var isNone: Bool { if case .none = self { return true } else { return false } }
    var isMerge: Bool { if case .merge = self { return true } else { return false } }
    var isValue: Bool { if case .value = self { return true } else { return false } }

    /// True for the tags whose constructor wants a scalar.
    var isScalarTag: Bool {
        switch self {
        case .str, .int, .float, .bool, .null, .binary, .timestamp: return true
        default: return false
        }
    }

    /// SafeConstructor's scalar constructors for a tagged scalar's text.
    func construct(text: String, bytes: UnsafeBufferPointer<UInt8>) throws(ConfigError) -> YAMLNode.Value {
        switch self {
        case .none, .str: return .string(text)
        case .null: return .null
        case .bool: return .bool(try YAMLScalarResolver.constructBool(bytes))
        case .int: return try YAMLScalarResolver.constructInt(bytes)
        case .float: return .float(try YAMLScalarResolver.constructFloat(bytes))
        case .binary: return .binary(try YAMLBase64.decode(bytes))
        case .timestamp: return try YAMLTimestamp.construct(bytes)
        case .merge, .value, .seq, .omap, .pairs, .set, .map, .other: throw refusal(found: "a scalar")
        }
    }

    /// Why a node with this tag cannot be constructed from what was `found` ("a scalar", "a sequence", …).
    func refusal(found: String) -> ConfigError {
        switch self {
        case .merge:
            return ConfigError("'<<' (a merge key) can only be a mapping key", at: nil,
                               hint: "quote '<<' to use it as text")
        case .value:
            return ConfigError("could not determine a constructor for the tag '\(name)' ('=' on its own)", at: nil,
                               hint: "quote '=' to use it as text")
        case .other, .none:
            return ConfigError("could not determine a constructor for the tag '\(name)'", at: nil,
                               hint: "LiteLLM loads the config with yaml.safe_load, which refuses custom tags: remove "
                                   + "the tag or quote the value")
        case .seq, .omap, .pairs:
            return ConfigError("the tag '\(name)' expects a sequence, but found \(found)", at: nil,
                               hint: "remove the tag or give it the right kind of value")
        case .map, .set:
            return ConfigError("the tag '\(name)' expects a mapping, but found \(found)", at: nil,
                               hint: "remove the tag or give it the right kind of value")
        case .str, .int, .float, .bool, .null, .binary, .timestamp:
            return ConfigError("the tag '\(name)' expects a scalar, but found \(found)", at: nil,
                               hint: "remove the tag or give it the right kind of value")
        }
    }
}

extension ConfigError {
    /// The same error, placed.
    func at(_ location: SourceLocation) -> ConfigError { ConfigError(message, at: location, hint: hint) }
}
