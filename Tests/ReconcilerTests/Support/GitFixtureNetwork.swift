import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Loopback helpers for the network git tests: free ports, waiting for a listener, and long-running servers
/// that are always stopped with SIGKILL.
enum GitFixtureNetwork {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw FixtureError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls until something accepts connections on 127.0.0.1:`port`, or throws after `timeoutSeconds`.
    static func waitForListener(port: Int, timeoutSeconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            usleep(20_000)
        }
        throw FixtureError("nothing listens on 127.0.0.1:\(port) after \(timeoutSeconds) s")
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A server process (git daemon, a Python HTTP server, sshd) that a test starts and must stop; `stop()` sends
/// SIGKILL and reaps it with a bounded wait. Call `stop()` in a `defer`.
///
/// Started with `posix_spawn`, not Foundation's `Process`: sshd closes every inherited descriptor, which
/// Foundation takes for an exit and then blocks its process-monitoring thread in `waitpid`, hanging every
/// later `Process` of the test run.
final class FixtureServer {
    private let pid: pid_t
    let port: Int

    init(_ executable: String, _ arguments: [String], port: Int) throws {
        self.port = port
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard status == 0 else { throw FixtureError("cannot start \(executable): error \(status)") }
        pid = child
        do { try GitFixtureNetwork.waitForListener(port: port) } catch {
            stop()
            throw error
        }
    }

    /// `git daemon` serving every repository under `basePath` on 127.0.0.1. Runs `git-daemon` itself, not the
    /// `git` wrapper, so that SIGKILL reaches the listening process.
    static func gitDaemon(basePath: String) throws -> FixtureServer {
        let port = try GitFixtureNetwork.freePort()
        return try FixtureServer(
            "/usr/lib/git-core/git-daemon",
            ["--base-path=\(basePath)", "--export-all", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", basePath],
            port: port)
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(5)
        while waitpid(pid, &status, WNOHANG) == 0 && Date() < deadline { usleep(5_000) }
    }
}
