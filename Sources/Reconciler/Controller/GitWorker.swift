import Dispatch
import FoundationEssentials
import Glibc
import Mapping

/// Runs a `GitSource` on its own serial queue: libgit2 calls block (and 1.5 has no network timeouts), so they must
/// not occupy the Swift concurrency pool. All access to the source goes through the queue, hence `@unchecked`.
final class GitWorker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "litellm-synapse.git")
    private let source: GitSource

    init(options: GitSourceOptions) throws(GitSourceError) {
        source = try GitSource(options: options)
    }

    func fetch() async throws -> GitRevision {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { () throws(GitSourceError) in try self.source.fetch() })
            }
        }
    }

    func fileSource(at commit: String) async throws -> GitCommitFileSource {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { () throws(GitSourceError) in try self.source.fileSource(at: commit) })
            }
        }
    }
}
