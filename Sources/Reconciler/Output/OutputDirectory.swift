import FoundationEssentials
import Glibc
import SynapseContract

/// Writes a set of files as one unit: all of them appear, or none do.
///
/// Files are written into a fresh sibling folder which then replaces the target folder with two renames, so a
/// reader never sees a half-written plan and an error leaves the previous contents in place.
///
/// ```swift
/// try OutputDirectory.replace(at: "migration-output") { folder in
///     try folder.write("apply.sh", mode: 0o755) { $0.append(script) }
/// }
/// ```
public enum OutputDirectory {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A folder being filled: each file is written as it is rendered, so only one chunk of it is ever in memory.
    /// Sendable: `plan` writes two of its files at once from two threads (each file has its own buffer and sink).
    public final class Staging: Sendable {
        let root: URL

        init(root: URL) { self.root = root }

        /// Creates `path` (folders included) with `mode`, and writes what `render` appends to the buffer, in chunks.
        public func write(_ path: String, mode: Int = 0o644, _ render: (inout TextBuffer) -> Void) throws(WriteError) {
            let url = root.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw WriteError(description: "cannot create \(url.deletingLastPathComponent().path): \(systemErrorText(error))")
            }
            let file = try FileSink(path: url.path, mode: mode)
            var buffer = TextBuffer(sink: file)
            render(&buffer)
            buffer.finish()
            try file.close()
        }
    }

    /// Fills a fresh staging folder with `fill`, then puts it in place of `directory` (all files or none).
    public static func replace(at directory: String, _ fill: (Staging) throws(WriteError) -> Void) throws(WriteError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(suffix)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(suffix)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            try fill(Staging(root: staging))
            var isDirectory = false
            let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
            if exists && !isDirectory {
                throw WriteError(description: "\(directory) exists and is not a directory; choose another --output")
            }
            if exists { try fm.moveItem(at: target, to: retired) }
            try fm.moveItem(at: staging, to: target)
            if exists { try? fm.removeItem(at: retired) }
        } catch let error as WriteError {
            try? fm.removeItem(at: staging)
            throw error
        } catch {
            try? fm.removeItem(at: staging)
            throw WriteError(description: "cannot write \(directory): \(systemErrorText(error))")
        }
    }

    /// A file opened for writing; the first write error is kept and reported by `close()`.
    final class FileSink: TextSink {
        private let path: String
        private var descriptor: Int32
        private var failure: Int32 = 0

        init(path: String, mode: Int) throws(WriteError) {
            self.path = path
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(0o600))
            guard descriptor >= 0 else { throw WriteError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
            // The exact mode, whatever the umask (apply.sh must be executable).
            if fchmod(descriptor, mode_t(mode)) != 0 { failure = errno }
        }

        deinit { if descriptor >= 0 { _ = systemClose(descriptor) } }

        func write(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard failure == 0 else { return }
            failure = writeAll(descriptor, bytes)
        }

        func close() throws(WriteError) {
            let result = systemClose(descriptor)
            descriptor = -1
            if failure == 0 && result != 0 { failure = errno }
            if failure != 0 { throw WriteError(description: "cannot write \(path): \(String(cString: strerror(failure)))") }
        }
    }

    /// Writes one file atomically (temporary file in the same folder, then rename) with the given mode.
    public static func writeFile(_ path: String, contents: String, mode: Int = 0o644) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Created with the final mode before any byte is written (secrets files are 0600 from the start).
            let file = try FileSink(path: temporary.path, mode: mode)
            var contents = contents
            contents.withUTF8 { file.write($0) }
            try file.close()
            if rename(temporary.path, url.path) != 0 { throw WriteError(description: "cannot replace \(path)") }
        } catch let error as WriteError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(description: "cannot write \(path): \(systemErrorText(error))")
        }
    }
}

/// Writes all of `bytes` to `descriptor` (retrying short writes and EINTR): 0, or the errno that stopped it.
public func writeAll(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    guard var next = bytes.baseAddress else { return 0 }
    var left = bytes.count
    while left > 0 {
        let written = write(descriptor, next, left)
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        next += written
        left -= written
    }
    return 0
}

// The POSIX call under another name: inside `FileSink` its own `close` would shadow it.
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
