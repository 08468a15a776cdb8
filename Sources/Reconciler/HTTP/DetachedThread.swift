import Glibc

/// A POSIX thread that runs one closure and ends with it: the libcurl loop blocks in `curl_multi_poll`, which must not
/// hold a Dispatch or Swift-concurrency worker. (FoundationEssentials, which this package uses, has no `Thread`.)
enum DetachedThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `run` on a new detached thread; `name` is for the error if the system refuses one.
    static func start(name: String, _ run: @escaping @Sendable () -> Void) {
        let body = Unmanaged.passRetained(Body(run)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, body)
        guard result == 0 else { fatalError("cannot start the \(name) thread: \(String(cString: strerror(result)))") }
        pthread_detach(thread)
    }
}
