/// Where the config repository is, which ref to follow, and where to keep the local bare clone.
///
/// ```swift
/// let options = GitSourceOptions(url: "https://github.com/acme/gateway-config.git", ref: "main",
///                                cacheDir: "/var/lib/litellm-synapse/git", credentials: .none)
/// ```
public struct GitSourceOptions: Sendable, Hashable {
    /// `https://`, `http://`, `ssh://`, `user@host:path`, `git://`, `file://` or a local path.
    public var url: String
    /// A branch (`main`, `refs/heads/main`), a tag (`v1.2`, `refs/tags/v1.2`) or a full 40-hex commit id;
    /// nil follows the remote's default branch (its `HEAD`).
    public var ref: String?
    /// A folder owned by the source; the bare clone lives in `cacheDir/repo.git` and survives restarts.
    public var cacheDir: String
    public var credentials: GitCredentials
    /// A fetch is cancelled once this many seconds have passed (checked while data and callbacks arrive;
    /// libgit2 1.5 has no connect timeout, the operating system's applies).
    public var fetchTimeoutSeconds: Double

    public init(
        url: String, ref: String? = nil, cacheDir: String, credentials: GitCredentials = .none,
        fetchTimeoutSeconds: Double = 120
    ) {
        self.url = url
        self.ref = ref
        self.cacheDir = cacheDir
        self.credentials = credentials
        self.fetchTimeoutSeconds = fetchTimeoutSeconds
    }
}
