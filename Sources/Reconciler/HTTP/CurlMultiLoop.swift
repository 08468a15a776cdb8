import CCurl
import FoundationEssentials
import Glibc
import Synchronization

/// The thread that owns a libcurl multi handle and every transfer on it.
///
/// Other threads only touch `inbox` (under its lock) and call `curl_multi_wakeup`, the one multi call libcurl
/// documents as safe from any thread. Transfers and the multi handle's other calls stay on the loop thread.
final class CurlMultiLoop: Sendable {
    private struct Inbox {
        var queue: [CurlJob] = []
        var cancelled: Set<UInt64> = []
        var stopped = false
        var lastID: UInt64 = 0
    }

    /// The multi handle pointer, made sendable so that other threads can wake the loop.
    private struct MultiHandle: @unchecked Sendable { let raw: UnsafeMutableRawPointer }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    private let options: HTTPTransportOptions
    private let inbox = Mutex(Inbox())
    private let multi: MultiHandle

    init(options: HTTPTransportOptions) {
        Self.globalInit
        self.options = options
        guard let raw = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = MultiHandle(raw: raw)
    }

    func start() {
        DetachedThread.start(name: "synapse-http") { [self] in run() }
    }

    func nextID() -> UInt64 {
        inbox.withLock { state in
            state.lastID += 1
            return state.lastID
        }
    }

    func submit(_ job: CurlJob) {
        let accepted = inbox.withLock { state in
            if state.stopped || state.cancelled.remove(job.id) != nil { return false }
            state.queue.append(job)
            return true
        }
        if accepted { curl_multi_wakeup(multi.raw) } else { job.fail(job.cancelledError) }
    }

    func cancel(_ id: UInt64) {
        inbox.withLock { _ = $0.cancelled.insert(id) }
        curl_multi_wakeup(multi.raw)
    }

    func shutdown() {
        inbox.withLock { $0.stopped = true }
        curl_multi_wakeup(multi.raw)
    }

    // MARK: - Loop thread only

    private struct Batch {
        var start: [CurlJob] = []
        var cancelledWaiting: [CurlJob] = []
        var cancelledRunning: Set<UInt64> = []
        var stop = false
    }

    private func takeBatch(capacity: Int) -> Batch {
        inbox.withLock { state in
            var batch = Batch()
            if !state.cancelled.isEmpty {
                batch.cancelledWaiting = state.queue.filter { state.cancelled.contains($0.id) }
                state.queue.removeAll { state.cancelled.contains($0.id) }
                batch.cancelledRunning = state.cancelled
                state.cancelled = []
            }
            if state.stopped {
                batch.stop = true
                batch.cancelledWaiting += state.queue
                state.queue = []
            } else if capacity > 0 {
                batch.start = Array(state.queue.prefix(capacity))
                state.queue.removeFirst(batch.start.count)
            }
            return batch
        }
    }

    private func run() {
        var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let batch = takeBatch(capacity: options.maxConcurrentRequests - running.count)
            for job in batch.cancelledWaiting { job.fail(job.cancelledError) }
            for (easy, transfer) in running where batch.stop || batch.cancelledRunning.contains(transfer.job.id) {
                curl_multi_remove_handle(multi.raw, easy)
                running[easy] = nil
                transfer.job.fail(transfer.cancelledError())
            }
            if batch.stop { break }
            for job in batch.start {
                do throws(HTTPTransportError) {
                    let transfer = try CurlTransfer(job: job, options: options)
                    curl_multi_add_handle(multi.raw, transfer.easy)
                    running[transfer.easy] = transfer
                } catch {
                    job.fail(error)
                }
            }

            var stillRunning: Int32 = 0
            curl_multi_perform(multi.raw, &stillRunning)
            var finishedAny = false
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi.raw, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = running.removeValue(forKey: easy)
                else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi.raw, easy)
                transfer.job.continuation.resume(returning: transfer.result(code: code))
                finishedAny = true
            }
            // A finished transfer frees a slot: start the next waiting request before sleeping.
            if finishedAny, running.count < options.maxConcurrentRequests, inbox.withLock({ !$0.queue.isEmpty }) {
                continue
            }
            curl_multi_poll(multi.raw, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi.raw)
    }
}
