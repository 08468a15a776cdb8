import CMalloc
import Dispatch
import Glibc
import Synchronization

/// Runs work over `0..<count` in contiguous chunks, one per core, and returns the chunks' results in order: how a
/// large config's deployments are read and mapped on every core while the result stays the one a single pass gives.
public enum ChunkedWork {
    /// Below this many items per chunk the work runs on the calling thread: starting threads would cost more.
    static let minimumPerChunk = 256

    /// How many chunks `count` items are cut into: one per core, at least two for a large input even on one core
    /// (so the merge of chunks runs, and is tested, wherever the program runs).
    static func chunks(for count: Int) -> Int {
        max(1, min(cores, count / minimumPerChunk))
    }

    /// The cores work is spread over: at least two (see `chunks(for:)`), at most eight.
    static let cores = max(2, min(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 8))

    static func run<Result: Sendable>(count: Int, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        let ranges = ranges(for: count)
        if ranges.count == 1 { return [body(ranges[0])] }
        return each(ranges.count) { chunk in body(ranges[chunk]) }
    }

    /// `0..<count` cut into `chunks(for: count)` contiguous ranges of nearly equal size.
    static func ranges(for count: Int) -> [Range<Int>] {
        let chunks = chunks(for: count)
        return (0..<chunks).map { chunk in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) }
    }

    /// Makes an array of `count` elements on every core, each chunk initializing its own part of the array in
    /// place: joining the chunks' own arrays would copy every element (retaining each of its references) and then
    /// release the chunks' arrays, which for 10,000 deployments costs about as much as reading them.
    ///
    /// `body` gets a chunk's range and an `emit` function, emits the elements of its range in order, and returns its
    /// other results. A chunk that emits fewer than its range has stopped early: the array is then nil (every
    /// element emitted is released) and the caller reports why from the chunks' results, in order.
    static func fill<Element: Sendable, Extra: Sendable>(
        count: Int, _ body: @Sendable (Range<Int>, _ emit: (Element) -> Void) -> Extra
    ) -> (elements: [Element]?, extras: [Extra]) {
        let ranges = ranges(for: count)
        var extras: [Extra] = []
        var complete = false
        let elements = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let storage = SharedStorage(base: buffer.baseAddress)
            let results = each(ranges.count) { chunk -> (emitted: Int, extra: Extra) in
                let range = ranges[chunk]
                var emitted = 0
                let extra = body(range) { element in
                    precondition(emitted < range.count, "a chunk emitted more elements than its range holds")
                    (storage.base! + range.lowerBound + emitted).initialize(to: element)
                    emitted += 1
                }
                return (emitted, extra)
            }
            complete = zip(ranges, results).allSatisfy { $0.count == $1.emitted }
            if complete {
                initialized = count
            } else {
                for (range, result) in zip(ranges, results) where result.emitted > 0 {
                    (storage.base! + range.lowerBound).deinitialize(count: result.emitted)
                }
                initialized = 0
            }
            extras = results.map(\.extra)
        }
        return (complete ? elements : nil, extras)
    }

    /// An array's storage while `fill` initializes it, shared by the chunks: each initializes only its own range.
    private struct SharedStorage<Element>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>?
    }

    /// Runs `body` for each of `0..<count` at the same time, as cores allow, and returns the results in order.
    static func each<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            // The threads here make nearly all of a large plan's allocations: enough heap for a 10,000-deployment
            // config's share (each thread's grew to about 15 MB), reserved once per thread (see CMalloc).
            cmalloc_reserve_thread_heap(24 << 20)
            let result = body(index)
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Runs `background` on another thread while `foreground` runs on this one, and returns both results once both
    /// are done. `foreground` may change the caller's state (it is not sent anywhere); `background` sees only the
    /// values it captured.
    static func alongside<Foreground, Background: Sendable, Failure: Error>(
        _ background: @escaping @Sendable () -> Background, _ foreground: () throws(Failure) -> Foreground
    ) throws(Failure) -> (Foreground, Background) {
        let result = Mutex<Background?>(nil)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let value = background()
            result.withLock { $0 = value }
            finished.signal()
        }
        // Waited for even when `foreground` throws: no work of this call outlives it.
        let foregroundResult = Result(catching: foreground)
        finished.wait()
        return (try foregroundResult.get(), result.withLock { $0! })
    }

    /// Runs `first` and `second` at the same time, one per core, and returns both results.
    public static func both<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
        let results = Mutex<(A?, B?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let a = first()
                results.withLock { $0.0 = a }
            } else {
                let b = second()
                results.withLock { $0.1 = b }
            }
        }
        return results.withLock { ($0.0!, $0.1!) }
    }
}
