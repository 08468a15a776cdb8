import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Real git repositories on disk, made with the `git` CLI, for the git source tests.
///
/// Each fixture owns a fresh temporary folder (removed in `deinit`); commits are deterministic (fixed author,
/// committer and dates) and no user or system git config is read.
///
/// ```swift
/// let fixture = try GitFixture()
/// let origin = try fixture.makeRepository("config")
/// let commit = try fixture.commit(in: origin, files: ["config.yaml": "model_list: []\n"], message: "first")
/// ```
final class GitFixture {
    let root: URL
    private var tick = 0

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("git-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// A fresh folder under the fixture root (a cache dir, a daemon base path, …).
    func folder(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// A non-bare repository on branch `main`, usable as a remote by path.
    func makeRepository(_ name: String) throws -> String {
        let path = folder(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: path)
        return path
    }

    /// Writes `files` (path → content), commits them all and returns the new commit id.
    @discardableResult
    func commit(in repository: String, files: [String: String], message: String) throws -> String {
        for (path, content) in files {
            let url = URL(fileURLWithPath: repository).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        try git(["add", "-A"], in: repository)
        try git(["commit", "-q", "-m", message], in: repository)
        return try git(["rev-parse", "HEAD"], in: repository)
    }

    /// Runs git in `directory` with a fixed identity and clock; returns trimmed stdout or throws with stderr.
    @discardableResult
    func git(_ arguments: [String], in directory: String) throws -> String {
        tick += 1
        let date = "\(1_700_000_000 + tick * 60) +0000"
        let environment = [
            "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.com", "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.com", "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": root.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        let result = try ProcessRunner.run("/usr/bin/git", arguments, environment: environment, directory: directory)
        guard result.status == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a helper process with a bounded wait; a process still running at the deadline is killed (SIGKILL).
enum ProcessRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        timeoutSeconds: Double = 30
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read the pipes on other threads so a chatty process cannot block on a full pipe.
        let stdout = PipeReader(out), stderr = PipeReader(err)
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) timed out after \(timeoutSeconds) s")
        }
        return Result(status: process.terminationStatus, stdout: stdout.text(), stderr: stderr.text())
    }
}

/// Drains a pipe on a background thread; `text()` waits for end of file.
final class PipeReader: @unchecked Sendable {
    // Written once by the reader thread before `done` is signalled, read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
