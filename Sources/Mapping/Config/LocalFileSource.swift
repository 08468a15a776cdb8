import Foundation

/// Reads config files from the local file system (the `plan`, `diff` and `apply` commands).
public struct LocalFileSource: ConfigFileSource {
    /// Files larger than this are refused before they are read (a config is kilobytes to a few megabytes).
    public let maxBytes: Int

    public init(maxBytes: Int = YAMLLimits.default.maxBytes) { self.maxBytes = maxBytes }

    public func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError("file not found: \(path)", at: nil, hint: "check the path (include paths are relative to the including file)")
        }
        if isDirectory.boolValue {
            throw ConfigError("\(path) is a directory, not a config file", at: nil, hint: "name the YAML file itself")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > maxBytes {
            throw ConfigError(
                "\(path) is \(size) bytes, more than the \(maxBytes)-byte limit for a config file", at: nil,
                hint: "check that this is the right file; split a very large model list with include:")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError("cannot read \(path)", at: nil, hint: "check the file's permissions")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            if data.count > maxBytes {
                throw ConfigError("\(path) is larger than the \(maxBytes)-byte limit for a config file", at: nil, hint: "check that this is the right file")
            }
            return [UInt8](data)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("cannot read \(path): \(error.localizedDescription)", at: nil, hint: "check the file's permissions")
        }
    }
}
