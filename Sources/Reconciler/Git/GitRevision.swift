/// The commit a ref pointed to at the last fetch, with what a report or status page shows about it.
///
/// ```swift
/// let revision = try source.fetch()
/// print("\(revision.commit.prefix(7)) \(revision.summary) by \(revision.author)")
/// ```
public struct GitRevision: Sendable, Hashable {
    /// The full 40-hex commit id.
    public let commit: String
    public let author: String
    public let authorEmail: String
    /// The first line of the message.
    public let summary: String
    public let message: String
    /// Author time, seconds since 1970.
    public let time: Int64
    /// What was resolved: `refs/heads/main`, `refs/tags/v1` or the commit id itself.
    public let ref: String

    public init(
        commit: String, author: String, authorEmail: String, summary: String, message: String, time: Int64,
        ref: String
    ) {
        self.commit = commit
        self.author = author
        self.authorEmail = authorEmail
        self.summary = summary
        self.message = message
        self.time = time
        self.ref = ref
    }
}
