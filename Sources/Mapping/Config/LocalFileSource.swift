import Glibc

/// Reads config files from the local file system (the `plan`, `diff` and `apply` commands).
public struct LocalFileSource: ConfigFileSource {
    /// Files larger than this are refused before they are read (a config is kilobytes to a few megabytes).
    public let maxBytes: Int

    public init(maxBytes: Int = YAMLLimits.default.maxBytes) { self.maxBytes = maxBytes }

    public func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        func failure(_ what: String, _ code: Int32 = errno) -> ConfigError {
            ConfigError("\(what) \(path): \(String(cString: strerror(code)))", at: nil, hint: "check the file's permissions")
        }
        let notAFile = ConfigError("\(path) is a directory, not a config file", at: nil, hint: "name the YAML file itself")
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let openError = errno
            var status = stat()
            if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { throw notAFile }
            if openError == EACCES || openError == EPERM { throw failure("cannot open", openError) }
            // Missing, or a path that cannot lead to a file (a file used as a folder, a symbolic link loop, a name too long).
            throw ConfigError(
                "file not found: \(path)\(openError == ENOENT ? "" : " (\(String(cString: strerror(openError))))")", at: nil,
                hint: "check the path (include paths are relative to the including file)")
        }
        defer { close(descriptor) }
        // fstat, not FileManager's attributes, which look up the owner's name as well (reading /etc/passwd).
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot read") }
        if status.st_mode & S_IFMT == S_IFDIR { throw notAFile }
        // Not a regular file (a pipe, /dev/stdin): no size known, read to the end below.
        let size = status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : 0
        if size > maxBytes {
            throw ConfigError(
                "\(path) is \(size) bytes, more than the \(maxBytes)-byte limit for a config file", at: nil,
                hint: "check that this is the right file; split a very large model list with include:")
        }
        // Straight into the array's storage (reading into Data and copying would hold the file twice), one byte more
        // than the size: a full buffer means the file grew since fstat, and the rest is read in chunks.
        var readError: ConfigError?
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            while initialized < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    readError = failure("cannot read")
                    break
                }
                initialized += count
            }
        }
        if let readError { throw readError }
        if bytes.count == size + 1 {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while bytes.count <= maxBytes {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot read")
                }
                bytes.append(contentsOf: chunk[..<count])
            }
        }
        if bytes.count > maxBytes {
            throw ConfigError("\(path) is larger than the \(maxBytes)-byte limit for a config file", at: nil, hint: "check that this is the right file")
        }
        return bytes
    }
}
