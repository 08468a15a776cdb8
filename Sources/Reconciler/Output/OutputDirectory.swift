import Foundation

/// Writes a set of files as one unit: all of them appear, or none do.
///
/// Files are written into a fresh sibling folder which then replaces the target folder with two renames, so a
/// reader never sees a half-written plan and an error leaves the previous contents in place.
///
/// ```swift
/// try OutputDirectory.replace(at: "migration-output", with: [("apply.sh", script, 0o755)])
/// ```
public enum OutputDirectory {
    public struct File: Sendable {
        public let path: String
        public let contents: String
        public let mode: Int

        public init(_ path: String, _ contents: String, mode: Int = 0o644) {
            self.path = path
            self.contents = contents
            self.mode = mode
        }
    }

    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func replace(at directory: String, with files: [File]) throws(WriteError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(suffix)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(suffix)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
                try fm.setAttributes([.posixPermissions: file.mode], ofItemAtPath: url.path)
            }
            var isDirectory: ObjCBool = false
            let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue {
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
            throw WriteError(description: "cannot write \(directory): \(error.localizedDescription)")
        }
    }

    /// Writes one file atomically (temporary file in the same folder, then rename) with the given mode.
    public static func writeFile(_ path: String, contents: String, mode: Int = 0o644) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Create with the final mode before any byte is written (secrets files are 0600 from the start).
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: mode]) else {
                throw WriteError(description: "cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: Data(contents.utf8))
            try handle.close()
            if rename(temporary.path, url.path) != 0 { throw WriteError(description: "cannot replace \(path)") }
        } catch let error as WriteError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
