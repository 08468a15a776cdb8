/// A config file with its `include:` files merged in, exactly as LiteLLM's proxy merges them.
public struct LoadedConfig: Sendable, Hashable {
    /// Top-level keys in file order, `include` removed, included values merged.
    public let topLevel: [YAMLPair]
    /// The main file first, then every included file in the order it was read.
    public let files: [String]
    /// Where the top-level mapping starts (for messages about the file as a whole).
    public let location: SourceLocation
    public let warnings: [MappingWarning]

    public subscript(key: String) -> YAMLPair? { topLevel.last { $0.key.scalarText == key } }
}

/// Reads a LiteLLM config and its includes through a `ConfigFileSource`, as LiteLLM's `resolve_includes` does.
///
/// `include:` is a top-level list of paths, relative to the file that declares it (a path found only next to the
/// main file is still read, with a warning, as LiteLLM does). Files are merged in queue order: the main file's
/// entries first, then the entries of included files as they are read. A list value is appended to the same key's
/// list (base first); any other value replaces the base value whole. A file already merged is not merged again.
/// Unlike LiteLLM, which silently skips them, a cycle (a file including one of its includers) is an error: it is
/// almost always a mistake.
///
/// ```swift
/// let config = try ConfigLoader(source: LocalFileSource()).load("deploy/litellm.yaml")
/// ```
public struct ConfigLoader: Sendable {
    public let source: any ConfigFileSource
    public let limits: YAMLLimits

    public init(source: any ConfigFileSource, limits: YAMLLimits = .default) {
        self.source = source
        self.limits = limits
    }

    private struct Pending {
        let entry: YAMLNode
        let path: String
        let declaredIn: String
    }

    public func load(_ path: String) throws(ConfigError) -> LoadedConfig {
        let root = try read(path, includedFrom: nil)
        var merged = root.pairs.filter { $0.key.scalarText != "include" }
        var files = [path]
        // Files are compared by normalised path: include paths are normalised when joined, and the main path must be
        // too, or an include of the main file (`../config.yaml`) is not recognised when the main path was written
        // `./config.yaml` or `conf//config.yaml`, and the main file is merged a second time.
        var loaded: Set<String> = [ConfigPath.normalize(path)]
        var warnings: [MappingWarning] = []
        // Which file first included each file (normalised paths): the chain a cycle is reported along.
        var includer: [String: String] = [:]
        var pending = try includeEntries(root.pairs, declaredIn: path)
        while !pending.isEmpty {
            let next = pending.removeFirst()
            let target = try resolve(next, rootPath: path, warnings: &warnings)
            if loaded.contains(ConfigPath.normalize(target.path)) {
                let targetKey = ConfigPath.normalize(target.path)
                var chain = [ConfigPath.normalize(next.declaredIn)]
                while let parent = includer[chain.last!], !chain.contains(parent) { chain.append(parent) }
                if chain.contains(targetKey) {
                    let cycle = chain.prefix(through: chain.firstIndex(of: targetKey)!).reversed() + [targetKey]
                    throw ConfigError(
                        "include cycle: \(cycle.joined(separator: " → "))", at: next.entry.location,
                        hint: "remove one of these includes; a file cannot include itself, directly or through others")
                }
                continue  // already merged through another include: LiteLLM reads each file once
            }
            includer[ConfigPath.normalize(target.path)] = ConfigPath.normalize(next.declaredIn)
            loaded.insert(ConfigPath.normalize(target.path))
            files.append(target.path)
            for pair in target.pairs where pair.key.scalarText != "include" { merge(pair, into: &merged) }
            pending += try includeEntries(target.pairs, declaredIn: target.path)
        }
        return LoadedConfig(topLevel: merged, files: files, location: root.location, warnings: warnings)
    }

    private struct FileContent {
        let path: String
        let pairs: [YAMLPair]
        let location: SourceLocation
    }

    private func read(_ path: String, includedFrom: YAMLNode?) throws(ConfigError) -> FileContent {
        let bytes: [UInt8]
        do {
            bytes = try source.readFile(path)
        } catch {
            // Name the include line that asked for the file, where there is one.
            throw ConfigError(error.message, at: includedFrom?.location ?? error.location, hint: error.hint)
        }
        let node = try YAMLLoader.load(bytes, file: path, limits: limits)
        let start = SourceLocation(file: path, line: 1, column: 1)
        switch node.value {
        case .null:
            if includedFrom == nil {
                throw ConfigError(
                    "the config file is empty", at: start,
                    hint: "a LiteLLM config needs at least a model_list; see examples/ for complete configs")
            }
            return FileContent(path: path, pairs: [], location: start)
        case .mapping(let pairs):
            return FileContent(path: path, pairs: pairs, location: node.location)
        default:
            let what = includedFrom == nil ? "a LiteLLM config" : "an included file"
            throw ConfigError(
                "the top level of \(what) must be a mapping (model_list:, router_settings:, …), found a \(node.kindName)",
                at: node.location, hint: "check that this is a LiteLLM proxy config and that its first line is not indented")
        }
    }

    private func includeEntries(_ pairs: [YAMLPair], declaredIn path: String) throws(ConfigError) -> [Pending] {
        guard let includePair = pairs.last(where: { $0.key.scalarText == "include" }) else { return [] }
        guard case .sequence(let entries) = includePair.value.value else {
            throw ConfigError(
                "include must be a list of file paths, found a \(includePair.value.kindName)",
                at: includePair.value.location, hint: "write it as a list: include: [models.yaml]")
        }
        var pending: [Pending] = []
        for entry in entries {
            guard case .string(let relative) = entry.value, !relative.isEmpty else {
                throw ConfigError(
                    "an include entry must be a file path, found a \(entry.kindName)", at: entry.location,
                    hint: "list file paths relative to \(path)")
            }
            pending.append(Pending(entry: entry, path: relative, declaredIn: path))
        }
        return pending
    }

    /// Reads an include next to the file that declares it, else next to the main file (LiteLLM's fallback).
    private func resolve(_ next: Pending, rootPath: String, warnings: inout [MappingWarning]) throws(ConfigError) -> FileContent {
        let declaredRelative = ConfigPath.join(directoryOf: next.declaredIn, next.path)
        let rootRelative = ConfigPath.join(directoryOf: rootPath, next.path)
        do {
            return try read(declaredRelative, includedFrom: next.entry)
        } catch where error.location != next.entry.location {
            throw error  // the file exists but is not valid YAML: report it where it is wrong
        } catch {
            guard rootRelative != declaredRelative, let found = try? read(rootRelative, includedFrom: next.entry) else {
                throw ConfigError(
                    "included file \(declaredRelative) cannot be read: \(error.message)", at: next.entry.location,
                    hint: "include paths are relative to the file that declares them (\(next.declaredIn))")
            }
            warnings.append(MappingWarning(
                "include \"\(next.path)\" declared in \(next.declaredIn) was not found next to it; \(rootRelative) (next to the main config) was read instead, as LiteLLM does",
                at: next.entry.location, hint: "move the included file next to the config that declares it"))
            return found
        }
    }

    /// LiteLLM's merge: two lists are concatenated (base first); anything else replaces the base value whole.
    private func merge(_ pair: YAMLPair, into merged: inout [YAMLPair]) {
        let key = pair.key.scalarText
        guard let index = merged.lastIndex(where: { $0.key.scalarText == key }) else {
            merged.append(pair)
            return
        }
        let base = merged[index]
        if case .sequence(let added) = pair.value.value, case .sequence(let existing) = base.value.value {
            let combined = YAMLNode(value: .sequence(existing + added), location: base.value.location, wasQuoted: false)
            merged[index] = YAMLPair(key: base.key, value: combined)
        } else {
            merged[index] = YAMLPair(key: base.key, value: pair.value)
        }
    }
}

/// POSIX path arithmetic for include paths (no file system access).
public enum ConfigPath {
    /// `join(directoryOf: "conf/main.yaml", "../shared/models.yaml")` → `shared/models.yaml`.
    public static func join(directoryOf file: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return normalize(relative) }
        let directory = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        // A file in the root folder (`/main.yaml`) has an empty directory too: its includes are under `/`.
        if directory.isEmpty { return normalize(file.hasPrefix("/") ? "/" + relative : relative) }
        return normalize(directory + "/" + relative)
    }

    /// Removes `.` and `name/..` segments; keeps leading `..` of relative paths.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for segment in path.split(separator: "/") {
            if segment == "." { continue }
            if segment == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if segment == "..", absolute { continue }
            parts.append(segment)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
