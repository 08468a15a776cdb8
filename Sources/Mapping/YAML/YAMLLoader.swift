/// Reads a YAML config exactly as LiteLLM does: Python opens it as UTF-8 text and PyYAML's `yaml.safe_load` types
/// it. Parsing is libyaml's; PyYAML's own scanner is stricter in a few places, and those are checked here too
/// (tabs outside quoted strings, block scalars and comments; `|#`-style block headers; `?` inside a plain value in a
/// flow collection), and libyaml is stricter or different in others that are smoothed over (`%YAML 1.0`/`1.3`;
/// byte order marks inside the file; a tab opening a block scalar's first line), so a file loads here exactly when
/// it loads in LiteLLM, to the same values.
///
/// Deliberate differences, all on inputs no LiteLLM config should contain: a recursive alias (`&a [*a]`), which
/// PyYAML builds as a self-containing list, is an error; `"\ud800"`-style escapes of lone surrogates, which PyYAML
/// accepts, are an error (libyaml refuses them and Swift strings cannot hold them); `!!int`/`!!float` do not read
/// non-ASCII digits.
public enum YAMLLoader {
    /// One document. `file` is used in locations and messages. A large file is read in parts, one per core
    /// (`YAMLPartedLoad`), when it can be to the same tree.
    public static func load(_ bytes: [UInt8], file: String, limits: YAMLLimits = .default) throws(ConfigError) -> YAMLNode {
        if bytes.count >= YAMLPartedLoad.minimumBytes,
            let node = YAMLPartedLoad.load(bytes, file: file, limits: limits, parts: ChunkedWork.cores)
        {
            return node
        }
        return try loadInOnePass(bytes, file: file, limits: limits)
    }

    static func loadInOnePass(_ bytes: [UInt8], file: String, limits: YAMLLimits = .default) throws(ConfigError) -> YAMLNode {
        let source = try YAMLSource(bytes, file: file, limits: limits)
        let document = try YAMLComposer.compose(source, limits: limits)
        guard let root = document.root else {
            // An empty stream: safe_load returns None.
            return YAMLNode(value: .null, location: SourceLocation(file: file, line: 1, column: 1))
        }
        var constructor = YAMLConstructor(document: document, file: file)
        return try constructor.construct(root)
    }
}
