import Dispatch
import Glibc
import Synchronization

/// Runs work over `0..<count` in contiguous chunks, one per core, and returns the chunks' results in order: how a
/// large config's deployments are read and mapped on every core while the result stays the one a single pass gives.
enum ChunkedWork {
    /// Below this many items per chunk the work runs on the calling thread: starting threads would cost more.
    static let minimumPerChunk = 256

    static func run<Result: Sendable>(count: Int, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        let cores = max(1, min(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 8))
        let chunks = max(1, min(cores, count / minimumPerChunk))
        if chunks == 1 { return [body(0..<count)] }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
            let result = body(range)
            results.withLock { $0[chunk] = result }
        }
        return results.withLock { $0.map { $0! } }
    }
}
