import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a headless Chromium (or any program) with posix_spawn, output in files, and a hard time limit.
///
/// Not Foundation's `Process`: it can hang a test run when a child closes all its descriptors, and it cannot kill a
/// whole process tree. Here the child leads a process group of its own, so a timeout SIGKILLs Chromium together with
/// its renderer and zygote helpers.
///
/// ```swift
/// let browser = try BrowserProcess.chromium()   // fails with install advice when Chromium is missing
/// let run = try await browser.run(["--dump-dom", url], timeout: 60)
/// #expect(run.exitStatus == 0 && run.stdout.contains("<table"))
/// ```
struct BrowserProcess: Sendable {
    struct Run: Sendable {
        /// Exit status, or 128 + signal when killed.
        let exitStatus: Int32
        let timedOut: Bool
        let stdout: String
        let stderr: String
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "headless Chromium not found at \(path); install it (CI does): apt-get install -y --no-install-recommends chromium"
        }
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "posix_spawn failed: \(String(cString: strerror(code)))" }
    }

    let executable: String
    /// Arguments every run gets (headless mode, sandbox off as root, a throwaway profile).
    let baseArguments: [String]
    let profileDirectory: String

    /// The system Chromium, headless, with a fresh profile in a temporary folder.
    static func chromium(path: String = "/usr/bin/chromium") throws -> BrowserProcess {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-profile-\(UUID().uuidString)").path
        return BrowserProcess(
            executable: path,
            baseArguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=\(profile)",
            ],
            profileDirectory: profile
        )
    }

    /// Runs the program to completion or until `timeout` seconds pass, then kills its whole process group.
    func runBlocking(_ arguments: [String], timeout: Double) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("browser-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)  // its own group, so a kill reaches its helpers too

        let argv = ([executable] + baseArguments + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = (argv + [nil]).withUnsafeBufferPointer { buffer in
            posix_spawn(&pid, executable, &actions, &attributes, UnsafeMutablePointer(mutating: buffer.baseAddress!), environ)
        }
        guard code == 0 else { throw SpawnFailed(code: code) }

        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var status: Int32 = 0
        var timedOut = false
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        // Helpers that outlived the browser process belong to the same group: end them too.
        kill(-pid, SIGKILL)

        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Run(exitStatus: exit, timedOut: timedOut, stdout: out, stderr: err)
    }

    /// `run` on a thread of its own, so the wait does not block a Swift concurrency thread (the server under test
    /// answers on those).
    func run(_ arguments: [String], timeout: Double) async throws -> Run {
        try await onDedicatedThread { try self.runBlocking(arguments, timeout: timeout) }
    }

    /// Removes the throwaway profile.
    func cleanUp() {
        try? FileManager.default.removeItem(atPath: profileDirectory)
    }
}

/// Runs blocking work (a child process, a blocking socket) on a new thread and awaits its result: blocking a Swift
/// concurrency thread instead could starve the in-process server the work is talking to.
func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}
