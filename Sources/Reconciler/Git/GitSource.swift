import CGit2
import FoundationEssentials
import Glibc

/// Follows a ref of a git remote through a bare clone kept in `cacheDir/repo.git`: clones on first use, fetches
/// incrementally afterwards (also across restarts), and hands out the files of a commit without a work tree.
///
/// Not `Sendable`: it owns a libgit2 repository handle; keep it in one task (or an actor). What it returns is
/// `Sendable`. Every failure is a `GitSourceError`; the caller keeps its last good revision.
///
/// ```swift
/// let source = try GitSource(options: GitSourceOptions(url: url, ref: "main", cacheDir: cache))
/// let revision = try source.fetch()
/// let config = try source.fileSource(at: revision.commit).readFile("config.yaml")
/// ```
public final class GitSource {
    public let options: GitSourceOptions
    private let library = GitLibrary()
    private let remoteURL: GitRemoteURL
    private let repositoryPath: String
    /// What the cache's config records as origin: the URL without userinfo, so no token is written to disk
    /// and a rotated token keeps the cache. The real URL is set on the remote in memory for each fetch.
    private let storedURL: String
    private var repository: OpaquePointer?
    /// The `origin` remote as looked up once from `repository`; every fetch works on a `git_remote_dup` of it.
    ///
    /// Not a cache for speed: libgit2 1.5's `git_remote_lookup` matches every config entry against the
    /// `url.*.insteadof` globs, and its `git_regexp_match` (PCRE2 build) leaks the match data, with PCRE2's ~20 KiB
    /// of heap frames, on each entry that does not match (fixed upstream in libgit2 1.6, PR #6382). One lookup per
    /// fetch grew the daemon by ~120 KiB per reconcile; a dup copies the remote without reading the config.
    private var origin: OpaquePointer?

    /// Force-updating refspecs, so rewritten history is followed; refs deleted upstream are pruned.
    private static let refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]

    public init(options: GitSourceOptions) throws(GitSourceError) {
        guard !options.url.isEmpty else { throw GitSourceError(.invalidOptions, "the git URL is empty") }
        guard !options.cacheDir.isEmpty else { throw GitSourceError(.invalidOptions, "the git cache folder is empty") }
        guard options.fetchTimeoutSeconds > 0 else {
            throw GitSourceError(.invalidOptions, "the fetch timeout must be positive, got \(options.fetchTimeoutSeconds)")
        }
        remoteURL = GitRemoteURL(options.url)
        if remoteURL.isSSH {
            guard GitLibrary.hasSSH else {
                throw GitSourceError(.invalidOptions, "\(options.url): this libgit2 was built without SSH support; use an https:// URL")
            }
            guard case .sshKey = options.credentials else {
                throw GitSourceError(
                    .invalidOptions, "\(options.url) is an SSH remote: configure an SSH key and a known_hosts file")
            }
        }
        self.options = options
        storedURL = URLRedaction.redactUserinfo(options.url)
        repositoryPath = URL(fileURLWithPath: options.cacheDir).appendingPathComponent("repo.git").path
    }

    deinit {
        git_remote_free(origin)
        git_repository_free(repository)
    }

    /// Clones (first use) or fetches, then resolves the ref to a commit.
    public func fetch() throws(GitSourceError) -> GitRevision {
        let repo = try openCache()
        var knownHosts: KnownHosts?
        if case .sshKey(_, _, _, let path) = options.credentials { knownHosts = try KnownHosts(path: path) }
        let session = GitRemoteSession(options: options, knownHosts: knownHosts)
        let defaultBranch = try withExtendedLifetime(session) { () throws(GitSourceError) -> String? in
            try fetch(into: repo, session: session)
        }
        return try resolve(in: repo, defaultBranch: defaultBranch)
    }

    /// The files of `commit` (from `fetch()`), readable from any task.
    public func fileSource(at commit: String) throws(GitSourceError) -> GitCommitFileSource {
        let repo = try openCache()
        guard var oid = GitLibrary.oid(commit) else {
            throw GitSourceError(.refNotFound, "'\(commit)' is not a full 40-hex commit id")
        }
        var object: OpaquePointer?
        guard git_commit_lookup(&object, repo, &oid) == 0 else {
            throw GitSourceError(.refNotFound, "commit \(commit) is not in the cache of \(options.url); fetch first")
        }
        git_commit_free(object)
        return GitCommitFileSource(repositoryPath: repositoryPath, commit: commit, library: library)
    }

    // MARK: - cache

    /// The cached bare repository; re-created when missing, unreadable, or cloned from another URL.
    private func openCache() throws(GitSourceError) -> OpaquePointer {
        if let repository { return repository }
        let files = FileManager.default
        if files.fileExists(atPath: repositoryPath) {
            if let repo = openExisting() {
                repository = repo
                return repo
            }
            do { try files.removeItem(atPath: repositoryPath) } catch {
                throw GitSourceError(.cache, "cannot remove the unusable git cache \(repositoryPath): \(systemErrorText(error))")
            }
        }
        do { try files.createDirectory(atPath: options.cacheDir, withIntermediateDirectories: true) } catch {
            throw GitSourceError(.cache, "cannot create the git cache folder \(options.cacheDir): \(systemErrorText(error))")
        }
        var repo: OpaquePointer?
        guard git_repository_init(&repo, repositoryPath, 1) == 0, let repo else {
            throw GitSourceError(.cache, "cannot create a repository in \(repositoryPath): \(GitLibrary.lastErrorMessage(or: "unknown error"))")
        }
        var remote: OpaquePointer?
        guard git_remote_create(&remote, repo, "origin", storedURL) == 0 else {
            let message = GitLibrary.lastErrorMessage(or: "unknown error")
            git_repository_free(repo)
            try? files.removeItem(atPath: repositoryPath)
            throw GitSourceError(.invalidOptions, "\(options.url) is not a usable git URL: \(message)")
        }
        git_remote_free(remote)
        repository = repo
        return repo
    }

    private func openExisting() -> OpaquePointer? {
        var repo: OpaquePointer?
        guard git_repository_open_bare(&repo, repositoryPath) == 0 else { return nil }
        var remote: OpaquePointer?
        if git_remote_lookup(&remote, repo, "origin") == 0, let url = git_remote_url(remote),
            String(cString: url) == storedURL
        {
            git_remote_free(remote)
            return repo
        }
        git_remote_free(remote)
        git_repository_free(repo)
        return nil
    }

    // MARK: - fetch

    /// Connects, downloads with the force refspecs, updates and prunes refs; returns the remote's default branch.
    private func fetch(into repo: OpaquePointer, session: GitRemoteSession) throws(GitSourceError) -> String? {
        if origin == nil {
            var looked: OpaquePointer?
            guard git_remote_lookup(&looked, repo, "origin") == 0, let looked else {
                throw GitSourceError(.cache, "the git cache has no origin remote: \(GitLibrary.lastErrorMessage(or: "unknown error"))")
            }
            origin = looked
        }
        var remote: OpaquePointer?
        guard git_remote_dup(&remote, origin) == 0 else {
            throw GitSourceError(.cache, "cannot copy the origin remote: \(GitLibrary.lastErrorMessage(or: "unknown error"))")
        }
        defer { git_remote_free(remote) }
        guard git_remote_set_instance_url(remote, options.url) == 0 else {
            throw GitSourceError(.invalidOptions, "\(options.url) is not a usable git URL: \(GitLibrary.lastErrorMessage(or: "unknown error"))")
        }

        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        session.install(into: &callbacks)
        var proxy = git_proxy_options()
        git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION))
        proxy.type = GIT_PROXY_AUTO

        try check(git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, nil), session, "cannot connect to")
        defer { git_remote_disconnect(remote) }

        var branch = git_buf()
        defer { git_buf_dispose(&branch) }
        let defaultBranch = git_remote_default_branch(&branch, remote) == 0 ? String(cString: branch.ptr) : nil

        var fetchOptions = git_fetch_options()
        git_fetch_options_init(&fetchOptions, UInt32(GIT_FETCH_OPTIONS_VERSION))
        fetchOptions.callbacks = callbacks
        fetchOptions.proxy_opts = proxy
        fetchOptions.prune = GIT_FETCH_PRUNE
        fetchOptions.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL
        try Self.withStrArray(Self.refspecs) { (refspecs) throws(GitSourceError) in
            try check(git_remote_download(remote, refspecs, &fetchOptions), session, "cannot download from")
        }
        try check(
            git_remote_update_tips(remote, &callbacks, 1, GIT_REMOTE_DOWNLOAD_TAGS_ALL, "litellm-synapse: fetch"),
            session, "cannot update the cached refs of")
        try check(git_remote_prune(remote, &callbacks), session, "cannot prune the cached refs of")
        return defaultBranch
    }

    /// Turns a failed libgit2 call into the error a callback recorded, or a classified libgit2 error.
    private func check(_ code: Int32, _ session: GitRemoteSession, _ what: String) throws(GitSourceError) {
        guard code < 0 else { return }
        let message = scrub(GitLibrary.lastErrorMessage(or: "error \(code)"))
        if let failure = session.failure { throw failure }
        let kind: GitSourceError.Kind =
            switch code {
            case GIT_EAUTH.rawValue: .authFailed
            case GIT_ECERTIFICATE.rawValue: .hostKeyRejected
            default: .unreachable
            }
        throw GitSourceError(kind, "\(what) \(options.url): \(message)")
    }

    /// Removes configured secret values from a libgit2 message, in case a transport quotes them.
    private func scrub(_ message: String) -> String {
        let secrets: [String] =
            switch options.credentials {
            case .none: []
            case .httpsToken(let token, _): [token.value]
            case .userPassword(_, let password): [password.value]
            case .sshKey(_, _, let passphrase, _): passphrase.map { [$0.value] } ?? []
            }
        return secrets.filter { !$0.isEmpty }.reduce(message) { $0.replacing($1, with: "***") }
    }

    private static func withStrArray<T>(
        _ strings: [String], _ body: (UnsafePointer<git_strarray>) throws(GitSourceError) -> T
    ) throws(GitSourceError) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeMutableBufferPointer { (buffer) throws(GitSourceError) -> T in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return try body(&array)
        }
    }

    // MARK: - resolve

    private func resolve(in repo: OpaquePointer, defaultBranch: String?) throws(GitSourceError) -> GitRevision {
        let wanted: String
        let candidates: [String]
        switch options.ref {
        case nil:
            guard let defaultBranch, defaultBranch.hasPrefix("refs/heads/") else {
                throw GitSourceError(.refNotFound, "\(options.url) has no default branch (empty repository?); set the ref to follow")
            }
            wanted = defaultBranch
            candidates = ["refs/remotes/origin/" + defaultBranch.dropFirst("refs/heads/".count)]
        case let ref? where GitLibrary.oid(ref) != nil:
            return try revision(of: GitLibrary.oid(ref)!, in: repo, ref: ref)
        case let ref? where ref.hasPrefix("refs/heads/"):
            wanted = ref
            candidates = ["refs/remotes/origin/" + ref.dropFirst("refs/heads/".count)]
        case let ref? where ref.hasPrefix("refs/tags/"):
            wanted = ref
            candidates = [ref]
        case let ref? where ref.hasPrefix("refs/"):
            throw GitSourceError(.refNotFound, "ref \(ref) is not fetched; name a branch, a tag or a commit id")
        case let ref?:
            wanted = ref
            candidates = ["refs/remotes/origin/\(ref)", "refs/tags/\(ref)"]
        }
        for name in candidates {
            var reference: OpaquePointer?
            guard git_reference_lookup(&reference, repo, name) == 0 else { continue }
            defer { git_reference_free(reference) }
            var object: OpaquePointer?
            guard git_reference_peel(&object, reference, GIT_OBJECT_COMMIT) == 0 else {
                throw GitSourceError(.refNotFound, "\(wanted) on \(options.url) does not point to a commit: \(GitLibrary.lastErrorMessage(or: "unknown error"))")
            }
            defer { git_object_free(object) }
            let resolved = name.hasPrefix("refs/remotes/origin/") ? "refs/heads/" + name.dropFirst("refs/remotes/origin/".count) : name
            return try revision(of: git_object_id(object).pointee, in: repo, ref: resolved)
        }
        throw GitSourceError(.refNotFound, "no branch or tag '\(wanted)' on \(options.url) (deleted, or never pushed); check the ref")
    }

    private func revision(of oid: git_oid, in repo: OpaquePointer, ref: String) throws(GitSourceError) -> GitRevision {
        var oid = oid
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, repo, &oid) == 0 else {
            throw GitSourceError(.refNotFound, "commit \(ref) is not on any branch or tag of \(options.url); check the ref")
        }
        defer { git_commit_free(commit) }
        let author = git_commit_author(commit)?.pointee
        func text(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        return GitRevision(
            commit: GitLibrary.string(of: git_commit_id(commit)),
            author: text(author?.name), authorEmail: text(author?.email),
            summary: text(git_commit_summary(commit)), message: text(git_commit_message(commit)),
            time: author?.when.time ?? git_commit_time(commit), ref: ref)
    }
}
