/// Where config files come from: the local file system, or a git commit's tree (no work tree).
///
/// Paths are POSIX paths as the config names them; `include:` paths are joined to the including file's folder
/// by the loader before they reach `readFile`.
public protocol ConfigFileSource: Sendable {
    /// The file's bytes, or a `ConfigError` (no location) saying the file is missing or unreadable.
    func readFile(_ path: String) throws(ConfigError) -> [UInt8]
}
