import Dispatch
import Synchronization

/// One dispatch timer that wakes the controller loop when the interval (or the backoff) has passed, re-armed for
/// every wait.
///
/// Deliberately not a `Task.sleep` per wait: a `Task.sleep` that is cancelled because a webhook or manual trigger
/// came first stays allocated (its job and a dispatch timer, about 1 KB) until its deadline passes. With
/// `--interval 1h`, every triggered reconcile left one behind and the daemon grew by ~1 KB per reconcile.
final class IntervalTimer: Sendable {
    /// Dispatch sources are thread-safe; the wrapper only makes that known to the compiler.
    private struct Source: @unchecked Sendable { let timer: any DispatchSourceTimer }

    private let source: Source
    /// The wait the timer is armed for; nil when disarmed. A fire reports it, so that a stale fire is ignorable.
    private let armed = Mutex<UInt64?>(nil)
    private let fire: @Sendable (UInt64) -> Void

    /// `fire` runs on a dispatch queue with the generation given to `arm`, at most once per `arm`.
    init(fire: @escaping @Sendable (UInt64) -> Void) {
        self.fire = fire
        source = Source(timer: DispatchSource.makeTimerSource(queue: .global()))
        source.timer.setEventHandler { [weak self] in self?.fired() }
        source.timer.schedule(deadline: .distantFuture)
        source.timer.activate()
    }

    deinit { source.timer.cancel() }

    func arm(after seconds: Double, generation: UInt64) {
        armed.withLock { $0 = generation }
        source.timer.schedule(deadline: .now() + max(0, seconds))
    }

    func disarm() {
        armed.withLock { $0 = nil }
        source.timer.schedule(deadline: .distantFuture)
    }

    private func fired() {
        let generation = armed.withLock { generation in
            defer { generation = nil }
            return generation
        }
        if let generation { fire(generation) }
    }
}
