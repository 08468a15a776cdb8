#if canImport(Glibc)
    import Glibc
#endif

/// The parts of a LiteLLM proxy config the mapping reads, typed and validated the way LiteLLM validates them.
///
/// ```swift
/// let loaded = try ConfigLoader(source: LocalFileSource()).load("config.yaml")
/// let config = try LiteLLMConfig(loaded)
/// print(config.deployments.count)
/// ```
public struct LiteLLMConfig: Sendable {
    public let loaded: LoadedConfig
    public let deployments: [Deployment]
    public let credentials: [String: Credential]
    public let router: RouterSettings
    public let teams: [TeamSpec]
    public let virtualKeys: [VirtualKeySpec]
    public let extensionSettings: ExtensionSettings
    /// Things worth a person's attention that are not errors.
    public let warnings: [MappingWarning]

    public init(_ loaded: LoadedConfig) throws(ConfigError) {
        self.loaded = loaded
        var warnings = loaded.warnings
        for pair in loaded.topLevel {
            try EnvironmentReferenceCheck.check(pair.value, path: pair.key.scalarText, inList: false, warnings: &warnings)
        }

        var credentials: [String: Credential] = [:]
        if let pair = loaded["credential_list"] {
            for (i, entry) in try FieldReader.list(pair.value, "credential_list").enumerated() {
                let credential = try Credential(entry, path: "credential_list[\(i)]")
                credentials[credential.name] = credential
            }
        }
        self.credentials = credentials

        var deployments: [Deployment] = []
        if let pair = loaded["model_list"] {
            let entries = try FieldReader.list(pair.value, "model_list")
            let credentials = credentials
            // Each chunk stops at its first bad entry; the earliest chunk's error is the one a single pass meets first.
            let (read, chunks) = ChunkedWork.fill(count: entries.count) { range, emit -> (warnings: [MappingWarning], error: ConfigError?) in
                var chunkWarnings: [MappingWarning] = []
                for i in range {
                    do throws(ConfigError) {
                        emit(try Deployment(entries[i], index: i, credentials: credentials, warnings: &chunkWarnings))
                    } catch {
                        return (chunkWarnings, error)
                    }
                }
                return (chunkWarnings, nil)
            }
            for chunk in chunks {
                if let error = chunk.error { throw error }
                warnings += chunk.warnings
            }
            // No chunk stopped early, so every entry was read.
            deployments = read!
        }
        self.deployments = deployments

        let litellmSettings = try loaded["litellm_settings"].map { p throws(ConfigError) in try FieldReader.mapping(p.value, "litellm_settings") } ?? []
        let routerSettings = try loaded["router_settings"].map { p throws(ConfigError) in try FieldReader.mapping(p.value, "router_settings") } ?? []
        self.router = try RouterSettings(router: routerSettings, litellm: litellmSettings)

        let ext = try loaded[ExtensionSettings.sectionName].map { p throws(ConfigError) in try ExtensionSettings(p.value) } ?? ExtensionSettings()
        self.extensionSettings = ext

        var teams = ext.teams
        if let defaults = litellmSettings.last(where: { $0.key.scalarText == "default_team_settings" }) {
            for (i, entry) in try FieldReader.list(defaults.value, "litellm_settings.default_team_settings").enumerated() {
                let team = try TeamSpec(defaultTeamSettings: entry, path: "litellm_settings.default_team_settings[\(i)]")
                if !teams.contains(where: { $0.name == team.name }) { teams.append(team) }
            }
        }
        self.teams = teams
        self.virtualKeys = ext.virtualKeys
        self.warnings = warnings
    }
}

/// One `credential_list` entry: named connection settings that deployments refer to with `litellm_credential_name`.
public struct Credential: Sendable {
    public let name: String
    public let values: [String: YAMLNode]
    public let location: SourceLocation

    init(_ node: YAMLNode, path: String) throws(ConfigError) {
        let pairs = try FieldReader.mapping(node, path)
        guard let nameNode = node["credential_name"] else {
            throw ConfigError("\(path) has no credential_name", at: node.location, hint: "give every credential_list entry a credential_name")
        }
        name = try FieldReader.string(nameNode, "\(path).credential_name")
        var values: [String: YAMLNode] = [:]
        if let v = pairs.last(where: { $0.key.scalarText == "credential_values" }) {
            for pair in try FieldReader.mapping(v.value, "\(path).credential_values") { values[pair.key.scalarText] = pair.value }
        }
        self.values = values
        location = node.location
    }
}

/// Walks the config for `os.environ/` references LiteLLM would not resolve.
enum EnvironmentReferenceCheck {
    /// One step of the path to a value: a mapping key or a list index. The path text is built only for a message.
    enum Step {
        case key(YAMLNode)
        case index(Int)
    }

    /// Checks a top-level value. A long list (a large config's model_list) is checked in chunks on every core, to
    /// the result of one pass: the chunks' warnings in order, and the first error in list order.
    static func check(_ node: YAMLNode, path: String, inList: Bool, warnings: inout [MappingWarning]) throws(ConfigError) {
        guard case .sequence(let items) = node.value else {
            var steps: [Step] = []
            try check(node, root: path, steps: &steps, inList: inList, warnings: &warnings)
            return
        }
        let chunks = ChunkedWork.run(count: items.count) { range -> (warnings: [MappingWarning], error: ConfigError?) in
            var chunkWarnings: [MappingWarning] = []
            var steps: [Step] = []
            for i in range {
                steps.append(.index(i))
                do throws(ConfigError) {
                    // A list's items are checked as values in a list, whatever holds the list.
                    try check(items[i], root: path, steps: &steps, inList: true, warnings: &chunkWarnings)
                } catch {
                    return (chunkWarnings, error)
                }
                steps.removeLast()
            }
            return (chunkWarnings, nil)
        }
        for chunk in chunks {
            warnings += chunk.warnings
            if let error = chunk.error { throw error }
        }
    }

    private static func text(_ root: String, _ steps: [Step]) -> String {
        var path = root
        for step in steps {
            switch step {
            case .key(let key): path += ".\(key.scalarText)"
            case .index(let i): path += "[\(i)]"
            }
        }
        return path
    }

    /// Whether the UTF-8 bytes of `text` contain those of `needle`. A string without them cannot contain the
    /// needle in any comparison (both needles here are ASCII), so this is a safe first filter. Candidates are found
    /// with memchr and their second byte tested before the rest: comparing at every `o` took most of the check's
    /// time on a large config.
    static func bytesContain(_ text: String, _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { bytes in
            precondition(pattern.count >= 2, "bytesContain tests a needle's second byte")
            guard let base = bytes.baseAddress, bytes.count >= pattern.count else { return false }
            var at = 0
            let last = bytes.count - pattern.count  // the last offset the needle fits at
            while at <= last, let hit = memchr(base + at, Int32(pattern[0]), last - at + 1) {
                at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if bytes[at + 1] == pattern[1], memcmp(base + at, pattern.baseAddress!, pattern.count) == 0 { return true }
                at += 1
            }
            return false
        }
    }

    private static func check(_ node: YAMLNode, root: String, steps: inout [Step], inList: Bool,
                              warnings: inout [MappingWarning]) throws(ConfigError) {
        switch node.value {
        case .string(let s):
            guard bytesContain(s, "os.environ/") || bytesContain(s, "${") else { return }
            // A value that starts with the prefix contains it: the (slower) search is needed only for the others.
            let isReference = s.hasPrefix(EnvironmentReference.prefix)
            guard isReference || s.contains(EnvironmentReference.prefix) || s.contains("${") else { return }
            if isReference {
                // With the prefix there (as characters), its 11 bytes come first: the name is the bytes after them,
                // checked without making a string of them (that is needed only for a message).
                let valid = EnvironmentReference.isValidName(s.utf8.dropFirst(EnvironmentReference.prefix.utf8.count))
                let name = valid && !inList ? "" : String(s.dropFirst(EnvironmentReference.prefix.count))
                // The text after os.environ/ is quoted only when it is a valid name: an invalid one is often a pasted
                // secret, and error messages end up in CI logs.
                if inList {
                    let path = text(root, steps)
                    throw ConfigError(
                        "\(path) is an os.environ/ reference\(valid ? " (os.environ/\(name))" : "") inside a list of plain values, where LiteLLM does not resolve it (it would use the text itself)",
                        at: node.location, hint: "move the value into a mapping key (key: os.environ/NAME) or write the value itself")
                }
                if !valid {
                    let path = text(root, steps)
                    throw ConfigError(
                        "\(path) references an environment variable whose name is not valid (\(name.isEmpty ? "it is empty" : "\(name.count) characters"))",
                        at: node.location, hint: "write os.environ/NAME with letters, digits and '_' only, not starting with a digit")
                }
            } else if s.contains(EnvironmentReference.prefix) {
                let path = text(root, steps)
                throw ConfigError(
                    "\(path) contains os.environ/ in the middle of a value; LiteLLM only resolves a value that is exactly os.environ/NAME",
                    at: node.location, hint: "make the whole value os.environ/NAME and put the full text in that variable")
            } else {
                let path = text(root, steps)
                warnings.append(MappingWarning(
                    "\(path) contains ${…}, which LiteLLM does not expand (it sends the text as is)", at: node.location,
                    hint: "use os.environ/NAME for the whole value"))
            }
        case .sequence(let items):
            for (i, item) in items.enumerated() {
                steps.append(.index(i))
                try check(item, root: root, steps: &steps, inList: true, warnings: &warnings)
                steps.removeLast()
            }
        case .mapping(let pairs):
            for pair in pairs {
                if let key = pair.key.stringValue, key.hasPrefix(EnvironmentReference.prefix) {
                    let path = text(root, steps)
                    throw ConfigError(
                        "\(path) has the key \"\(key)\"; LiteLLM resolves os.environ/ references in values, not keys",
                        at: pair.key.location, hint: "use a fixed key and put the reference in its value")
                }
                steps.append(.key(pair.key))
                try check(pair.value, root: root, steps: &steps, inList: false, warnings: &warnings)
                steps.removeLast()
            }
        default:
            return
        }
    }
}

/// Something worth a person's attention that does not stop the plan.
public struct MappingWarning: Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let location: SourceLocation?
    public let hint: String

    public init(_ message: String, at location: SourceLocation?, hint: String) {
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        (location.map { "\($0): " } ?? "") + message + (hint.isEmpty ? "" : "; " + hint)
    }
}
