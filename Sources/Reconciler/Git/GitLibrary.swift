import CGit2

/// One reference on libgit2's global state: `git_libgit2_init` on creation, `git_libgit2_shutdown` when the
/// last holder goes away. libgit2 counts the calls, so every owner of a libgit2 handle keeps one of these.
final class GitLibrary: Sendable {
    init() { git_libgit2_init() }
    deinit { git_libgit2_shutdown() }

    /// Whether this libgit2 was built with SSH (libssh2) support.
    static var hasSSH: Bool {
        let library = GitLibrary()
        return withExtendedLifetime(library) { git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue) != 0 }
    }

    /// libgit2's message for the failure that just happened on this thread; call it right after the failing call.
    static func lastErrorMessage(or fallback: String) -> String {
        guard let error = git_error_last(), let message = error.pointee.message else { return fallback }
        let text = String(cString: message)
        return text.isEmpty ? fallback : text
    }

    static func string(of oid: UnsafePointer<git_oid>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, oid)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A full 40-hex object id, or nil.
    static func oid(_ hex: String) -> git_oid? {
        guard hex.utf8.count == Int(GIT_OID_HEXSZ), hex.allSatisfy(\.isHexDigit) else { return nil }
        var oid = git_oid()
        return git_oid_fromstr(&oid, hex) == 0 ? oid : nil
    }
}
