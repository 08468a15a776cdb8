/// Reads a LiteLLM config exactly as LiteLLM does (`yaml.safe_load` from PyYAML: YAML 1.1 typing, anchors,
/// aliases, `<<` merges, safe tags only, one document), on top of libyaml's event parser.
///
/// Every failure is a ``ConfigError`` with `file:line:column`, what is wrong and what to do.
///
/// ```swift
/// let root = try YAMLLoader.load(Array("general_settings:\n  master_key: sk-1234\n".utf8), file: "config.yaml")
/// root["general_settings"]?["master_key"]?.scalarText   // "sk-1234"
/// ```
public enum YAMLLoader {
    /// One document. `file` is used in locations and messages. An empty file (or only comments) is `.null`.
    public static func load(_ bytes: [UInt8], file: String,
                            limits: YAMLLimits = .default) throws(ConfigError) -> YAMLNode
    {
        try YAMLDocumentBuilder.build(bytes, file: file, limits: limits)
    }
}
