import FoundationEssentials
import Glibc

/// Reads config files from the local file system (the `plan`, `diff` and `apply` commands).
public struct LocalFileSource: ConfigFileSource {
    /// Files larger than this are refused before they are read (a config is kilobytes to a few megabytes).
    public let maxBytes: Int

    public init(maxBytes: Int = YAMLLimits.default.maxBytes) { self.maxBytes = maxBytes }

    public func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError("file not found: \(path)", at: nil, hint: "check the path (include paths are relative to the including file)")
        }
        if isDirectory {
            throw ConfigError("\(path) is a directory, not a config file", at: nil, hint: "name the YAML file itself")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > maxBytes {
            throw ConfigError(
                "\(path) is \(size) bytes, more than the \(maxBytes)-byte limit for a config file", at: nil,
                hint: "check that this is the right file; split a very large model list with include:")
        }
        // Read straight into the array (reading into Data and copying would hold the file twice).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigError("cannot read \(path)", at: nil, hint: "check the file's permissions")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigError("cannot read \(path): \(String(cString: strerror(errno)))", at: nil, hint: "check the file's permissions")
            }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > maxBytes {
                throw ConfigError("\(path) is larger than the \(maxBytes)-byte limit for a config file", at: nil, hint: "check that this is the right file")
            }
        }
        return bytes
    }
}
