import CGit2
import Mapping

/// Config files read straight from one commit's tree in the bare cache, with no work tree.
///
/// A value type that opens its own repository handle per read, so it is `Sendable` and safe to use while the
/// `GitSource` that made it fetches again. Paths are relative to the repository root.
///
/// ```swift
/// let revision = try source.fetch()
/// let files = try source.fileSource(at: revision.commit)
/// let bytes = try files.readFile("config.yaml")
/// ```
public struct GitCommitFileSource: ConfigFileSource {
    public let commit: String
    let repositoryPath: String
    let library: GitLibrary

    init(repositoryPath: String, commit: String, library: GitLibrary) {
        self.repositoryPath = repositoryPath
        self.commit = commit
        self.library = library
    }

    public func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        let treePath = try Self.normalize(path)
        let shortCommit = String(commit.prefix(12))
        func failure(_ what: String, _ hint: String) -> ConfigError {
            ConfigError("\(path): \(what) at commit \(shortCommit)", at: nil, hint: hint)
        }
        return try withExtendedLifetime(library) { () throws(ConfigError) -> [UInt8] in
            var repo: OpaquePointer?
            guard git_repository_open_bare(&repo, repositoryPath) == 0 else {
                throw failure("cannot open the git cache (\(GitLibrary.lastErrorMessage(or: "unknown error")))", "fetch again")
            }
            defer { git_repository_free(repo) }
            guard var oid = GitLibrary.oid(commit) else { throw failure("not a commit id", "") }
            var commitObject: OpaquePointer?
            guard git_commit_lookup(&commitObject, repo, &oid) == 0 else {
                throw failure("the commit is not in the git cache", "fetch again")
            }
            defer { git_commit_free(commitObject) }
            var tree: OpaquePointer?
            guard git_commit_tree(&tree, commitObject) == 0 else {
                throw failure("cannot read the commit's tree (\(GitLibrary.lastErrorMessage(or: "unknown error")))", "")
            }
            defer { git_tree_free(tree) }
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, tree, treePath) == 0 else {
                throw failure("no such file in the repository", "check the path; it is relative to the repository root")
            }
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
                throw failure("is a folder, not a file", "name a YAML file")
            }
            var blob: OpaquePointer?
            guard git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) == 0 else {
                throw failure("cannot read the file (\(GitLibrary.lastErrorMessage(or: "unknown error")))", "")
            }
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: content, count: size))
        }
    }

    /// `./a/../b/c.yaml` → `b/c.yaml`; absolute paths and paths that climb above the root are refused.
    static func normalize(_ path: String) throws(ConfigError) -> String {
        let outside = ConfigError(
            "\(path): includes must stay inside the repository", at: nil,
            hint: "use a path relative to the repository root, without leading '/' or '..' above it")
        guard !path.hasPrefix("/") else { throw outside }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard parts.popLast() != nil else { throw outside }
            default: parts.append(part)
            }
        }
        guard !parts.isEmpty else {
            throw ConfigError("'\(path)' names no file", at: nil, hint: "name a YAML file in the repository")
        }
        return parts.joined(separator: "/")
    }
}
