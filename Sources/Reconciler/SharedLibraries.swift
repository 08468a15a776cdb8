import CCurl
import CGit2

/// libcurl and libgit2 are loaded when first called, not at process start (see `CLazyLoad`). The commands that need
/// them load them first, so that a missing library is a clear error before any work, not an exit on a worker thread.
public enum SharedLibraries {
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// libcurl, for the gateway client.
    public static func loadCurl() throws(Missing) {
        if let problem = ccurl_load() { throw Missing(description: String(cString: problem)) }
    }

    /// libgit2, for the git source.
    public static func loadGit() throws(Missing) {
        if let problem = cgit2_load() { throw Missing(description: String(cString: problem)) }
    }
}
