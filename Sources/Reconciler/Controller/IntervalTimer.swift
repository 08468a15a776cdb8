import Dispatch

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

    /// `fire` runs on a dispatch queue when a deadline given to `arm` passes. A fire can arrive late, after the
    /// next `arm`: the owner compares the time with its current deadline.
    init(fire: @escaping @Sendable () -> Void) {
        source = Source(timer: DispatchSource.makeTimerSource(queue: .global()))
        source.timer.setEventHandler(handler: fire)
        source.timer.schedule(deadline: .distantFuture)
        source.timer.activate()
    }

    deinit { source.timer.cancel() }

    func arm(at deadline: DispatchTime) {
        source.timer.schedule(deadline: deadline)
    }

    func disarm() {
        source.timer.schedule(deadline: .distantFuture)
    }
}
