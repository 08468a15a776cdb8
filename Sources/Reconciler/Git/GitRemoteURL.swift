/// The parts of a remote URL the transport checks need: is it SSH, and which host and port it names.
///
/// ```swift
/// GitRemoteURL("git@github.com:acme/config.git")    // isSSH, host "github.com", port nil
/// GitRemoteURL("ssh://git@10.0.0.5:2222/config")     // isSSH, host "10.0.0.5", port 2222
/// ```
struct GitRemoteURL: Sendable, Equatable {
    let isSSH: Bool
    let host: String?
    let port: Int?

    init(_ url: String) {
        if let schemeEnd = url.firstRange(of: "://") {
            let scheme = url[..<schemeEnd.lowerBound].lowercased()
            isSSH = ["ssh", "ssh+git", "git+ssh"].contains(scheme)
            let rest = url[schemeEnd.upperBound...]
            var authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let afterHost = authority[authority.index(after: close)...]
                port = afterHost.hasPrefix(":") ? Int(afterHost.dropFirst()) : nil
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = Int(authority[authority.index(after: colon)...])
            } else {
                host = authority.isEmpty ? nil : String(authority)
                port = nil
            }
        } else if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/"), !url.hasPrefix(".") {
            // scp-like `[user@]host:path`, as git itself reads it.
            var hostPart = url[..<colon]
            if let at = hostPart.lastIndex(of: "@") { hostPart = hostPart[hostPart.index(after: at)...] }
            isSSH = true
            host = String(hostPart)
            port = nil
        } else {
            isSSH = false
            host = nil
            port = nil
        }
    }
}
