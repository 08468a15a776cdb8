import FoundationEssentials
import Glibc

/// An exclusive lock on the state folder, so two controllers never share one git cache and report history.
///
/// Uses `flock` on `<state-dir>/lock`: the kernel releases it when the process dies, so a crash leaves no stale lock.
public final class StateDirectoryLock: Sendable {
    private let descriptor: Int32

    public struct Held: Error, CustomStringConvertible {
        public let description: String
    }

    public init(stateDirectory: String) throws(Held) {
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw Held(description: "cannot create the state folder \(stateDirectory): \(systemErrorText(error))")
        }
        let path = stateDirectory + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Held(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw Held(description: "another litellm-synapse instance holds \(path); two controllers must not share a --state-dir")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
