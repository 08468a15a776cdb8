import FoundationEssentials
import Glibc

/// The host keys of an OpenSSH `known_hosts` file, used to check the SSH server's key before authenticating.
///
/// Understands plain host lists (`github.com,140.82.112.3`), `[host]:port` for other ports, `*`/`?` patterns,
/// `!` negations, hashed names (`|1|salt|hash`) and the `@revoked` marker; `@cert-authority` lines are skipped
/// (libgit2 1.5 hands over plain keys only).
///
/// ```swift
/// let hosts = try KnownHosts(path: "/etc/git/known_hosts")
/// hosts.check(host: "github.com", port: nil, key: serverKeyBlob)   // .trusted
/// ```
struct KnownHosts: Sendable {
    enum Verdict: Sendable, Equatable {
        case trusted
        /// No entry names this host.
        case unknownHost
        /// Entries name this host, but with other keys: the key changed, or someone is in between.
        case mismatch
        /// The key is listed under `@revoked`.
        case revoked
    }

    private struct Entry: Sendable {
        let names: HostNames
        let revoked: Bool
        let key: [UInt8]
    }

    private enum HostNames: Sendable {
        case patterns([String])
        case hashed(salt: [UInt8], hash: [UInt8])

        /// True when a pattern names the host and no negated (`!`) pattern does.
        func matches(_ name: String) -> Bool {
            switch self {
            case .hashed(let salt, let hash):
                return HMACSHA1.mac(key: salt, message: Array(name.utf8)) == hash
            case .patterns(let patterns):
                var matched = false
                for pattern in patterns {
                    if pattern.hasPrefix("!") {
                        if KnownHosts.glob(String(pattern.dropFirst()).lowercased(), name.lowercased()) { return false }
                    } else if KnownHosts.glob(pattern.lowercased(), name.lowercased()) {
                        matched = true
                    }
                }
                return matched
            }
        }
    }

    private let entries: [Entry]

    init(contents: String) {
        var entries: [Entry] = []
        for line in contents.split(whereSeparator: \.isNewline) {
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            let names: HostNames
            if fields[0].hasPrefix("|1|") {
                let parts = fields[0].split(separator: "|", omittingEmptySubsequences: true)
                guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
                    let hash = Data(base64Encoded: String(parts[2]))
                else { continue }
                names = .hashed(salt: [UInt8](salt), hash: [UInt8](hash))
            } else {
                names = .patterns(fields[0].split(separator: ",").map(String.init))
            }
            entries.append(Entry(names: names, revoked: revoked, key: [UInt8](key)))
        }
        self.entries = entries
    }

    init(path: String) throws(GitSourceError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GitSourceError(
                .invalidOptions,
                "cannot read the known_hosts file \(path); create it with `ssh-keyscan HOST > \(path)` and check the key")
        }
        self.init(contents: String(decoding: data, as: UTF8.self))
    }

    /// The name OpenSSH files a host under: `host`, or `[host]:port` for a port other than 22.
    static func name(host: String, port: Int?) -> String {
        guard let port, port != 22 else { return host }
        return "[\(host)]:\(port)"
    }

    /// `key` is the server's public key blob, as in the base64 field of a known_hosts line.
    func check(host: String, port: Int?, key: [UInt8]) -> Verdict {
        let name = Self.name(host: host, port: port)
        let forHost = entries.filter { $0.names.matches(name) }
        if forHost.contains(where: { $0.revoked && $0.key == key }) { return .revoked }
        let trusted = forHost.filter { !$0.revoked }
        if trusted.contains(where: { $0.key == key }) { return .trusted }
        return trusted.isEmpty ? .unknownHost : .mismatch
    }

    /// OpenSSH host pattern matching: `*` any run of characters, `?` exactly one.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var (pi, ti) = (0, 0)
        var star: (p: Int, t: Int)? = nil
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = (pi, ti)
                pi += 1
            } else if let s = star {
                pi = s.p + 1
                ti = s.t + 1
                star = (s.p, s.t + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
