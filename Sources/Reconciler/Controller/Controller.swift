import Diff
import Dispatch
import FoundationEssentials
import Glibc
import Logging
import Mapping
import ServiceLifecycle
import SynapseContract

/// The long-running reconcile loop of `litellm-synapse watch`.
///
/// On start, on every interval (with jitter) and on every webhook or manual request (bursts coalesce into one pass):
/// fetch the repository → map the config at the newest commit → read the gateway → diff → apply (sync mode) or only
/// report (observe mode) → write a report. An invalid config at a new commit makes no writes and leaves the last good
/// revision applied; an unreachable gateway or remote backs off exponentially and marks the controller degraded until
/// a pass succeeds. On graceful shutdown the loop takes no new work, lets the in-flight pass finish for a short grace
/// period (then abandons it), writes its report and returns.
///
/// ```swift
/// let controller = try Controller(options: options, gateway: client, metrics: metrics, logger: logger)
/// try await ServiceGroup(services: [controller, server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
/// ```
public actor Controller: ControllerControl, Service {
    private let options: ControllerOptions
    private let gateway: GatewayClient
    private let git: GitWorker
    private let metrics: MetricsRegistry
    private let logger: Logger
    private let reports: ReportStore
    private let processEnvironment: [String: String]

    private var state: ControllerStatus
    /// The last config that mapped without error, and its commit.
    private var lastGood: (commit: String, revision: GitRevision, mapping: MappingResult)?
    /// Commits already known to be invalid, so they are not mapped again on every interval.
    private var invalidCommits: [String: String] = [:]
    private var consecutiveFailures = 0
    private var pendingTrigger: TriggerReason?
    private var waiter: CheckedContinuation<TriggerReason, Never>?
    private var shuttingDown = false
    private var currentPass: Task<Void, Never>?
    /// Wakes `nextTrigger` when the interval has passed; made on first use (it calls back into this actor).
    private var intervalTimer: IntervalTimer?
    /// When the wait in `nextTrigger` ends by itself: a timer fire before it is one meant for an earlier wait.
    private var waitDeadline = DispatchTime.distantFuture

    public init(options: ControllerOptions, gateway: GatewayClient, metrics: MetricsRegistry, logger: Logger, processEnvironment: [String: String]) throws {
        self.options = options
        self.gateway = gateway
        self.git = try GitWorker(options: options.git)
        self.metrics = metrics
        self.logger = logger
        self.processEnvironment = processEnvironment
        self.reports = ReportStore(directory: options.reportDirectory, retention: options.reportRetention)
        self.state = ControllerStatus(
            mode: options.mode.rawValue + (options.mode == .sync && !options.selfHeal ? " (self-heal off)" : ""),
            repository: URLRedaction.redactUserinfo(options.git.url), ref: options.git.ref ?? "(remote default branch)",
            configPath: options.configPath)
        ControllerMetrics.describeAll(in: metrics)
    }

    // MARK: - ControllerControl

    public func status() -> ControllerStatus { state }

    public func requestReconcile(_ reason: TriggerReason) {
        guard !shuttingDown else { return }
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: reason)
        } else if pendingTrigger == nil || reason != .interval {
            pendingTrigger = reason  // coalesced: one queued pass serves every request that arrives meanwhile
        }
    }

    // MARK: - Service

    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.loop()
        } onGracefulShutdown: {
            Task { await self.beginShutdown() }
        }
    }

    private func beginShutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        logger.info("shutting down: no new reconciles")
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: .manual)
        }
        if let pass = currentPass {
            let grace = options.shutdownGraceSeconds
            Task {
                try? await Task.sleep(for: .seconds(grace))
                pass.cancel()  // abandon: in-flight requests end, the pass still writes its report
            }
        }
    }

    private func loop() async {
        var reason = TriggerReason.startup
        while !shuttingDown && !Task.isCancelled {
            let trigger = reason
            let pass = Task { await self.reconcile(trigger) }
            currentPass = pass
            await pass.value
            currentPass = nil
            if shuttingDown { break }
            reason = await nextTrigger(after: nextDelay())
        }
    }

    /// The interval with jitter, or the backoff after failures.
    private func nextDelay() -> Double {
        if consecutiveFailures > 0 {
            let backoff = options.backoffMinimumSeconds * pow(2, Double(consecutiveFailures - 1))
            return min(backoff, options.backoffMaximumSeconds) * Double.random(in: 0.8...1.0)
        }
        let spread = options.intervalSeconds * options.jitter
        return max(1, options.intervalSeconds + Double.random(in: -spread...spread))
    }

    /// Whether the loop is waiting in `nextTrigger` (for tests).
    var isWaitingForTrigger: Bool { waiter != nil }

    /// Waits for a webhook or manual request, or for `seconds` to pass. Internal for the memory tests.
    func nextTrigger(after seconds: Double) async -> TriggerReason {
        if let pending = pendingTrigger {
            pendingTrigger = nil
            return pending
        }
        // One re-armed timer rather than a Task.sleep per wait: see IntervalTimer.
        let timer = intervalTimer ?? IntervalTimer { [weak self] in
            Task { await self?.intervalElapsed() }
        }
        intervalTimer = timer
        waitDeadline = .now() + max(0, seconds)
        timer.arm(at: waitDeadline)
        // Cancelling the controller's task (rather than a graceful shutdown) also ends the wait.
        let reason = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TriggerReason, Never>) in
                if shuttingDown { continuation.resume(returning: TriggerReason.manual) } else { waiter = continuation }
            }
        } onCancel: {
            Task { await self.beginShutdown() }
        }
        timer.disarm()
        return reason
    }

    private func intervalElapsed() {
        // Only for the wait in progress, once its deadline has passed: a webhook or manual trigger may have ended the
        // wait the fire was meant for, and a new wait may have begun.
        guard waiter != nil, DispatchTime.now() >= waitDeadline else { return }
        requestReconcile(.interval)
    }

    // MARK: - One pass

    private func reconcile(_ reason: TriggerReason) async {
        let started = Date()
        let clock = ContinuousClock.now
        state.reconcileInProgress = true
        defer { state.reconcileInProgress = false }

        // 1. Fetch. On failure keep the last good revision: drift correction goes on while the remote is away.
        var revision = lastGood?.revision
        var fetchFailed = false
        let fetchStart = ContinuousClock.now
        do {
            let fetched = try await git.fetch()
            metrics.increment(ControllerMetrics.gitFetchTotal, labels: ["result": "success"])
            metrics.observe(ControllerMetrics.gitFetchDurationSeconds, labels: ["result": "success"], value: Controller.seconds(since: fetchStart))
            state.lastFetchedRevision = fetched.commit
            revision = fetched
        } catch {
            metrics.increment(ControllerMetrics.gitFetchTotal, labels: ["result": "failure"])
            metrics.observe(ControllerMetrics.gitFetchDurationSeconds, labels: ["result": "failure"], value: Controller.seconds(since: fetchStart))
            fetchFailed = true
            let message = "git fetch failed: \(error)"
            logger.warning("\(message)")
            state.degradedReason = message
            if lastGood == nil {
                finishFailure(reason: reason, started: started, clock: clock, revision: nil, status: "git-error", error: message)
                return
            }
        }
        guard let revision else { return }

        // 2. Map the config at that commit (once per commit).
        var current = lastGood?.commit == revision.commit ? lastGood?.mapping : nil
        if current == nil, invalidCommits[revision.commit] == nil {
            do {
                let files = try await git.fileSource(at: revision.commit)
                let mapped = try MappingPipeline.map(configPath: options.configPath, source: files, tenant: options.tenant)
                lastGood = (revision.commit, revision, mapped)
                current = mapped
                state.failingRevision = nil
                state.failingReason = nil
            } catch {
                // An invalid config: no writes in this pass; the last good revision stays applied.
                let message = "\(error)"
                invalidCommits[revision.commit] = message
                state.failingRevision = revision.commit
                state.failingReason = message
                state.syncState = .failing
                logger.error("config at \(revision.commit.prefix(12)) is invalid: \(message)")
                finishFailure(reason: reason, started: started, clock: clock, revision: revision, status: "invalid-config", error: message)
                return
            }
        }
        guard let good = lastGood else {
            // The newest commit is invalid and nothing valid was ever read: nothing to apply.
            finishFailure(reason: reason, started: started, clock: clock, revision: revision, status: "invalid-config", error: invalidCommits[revision.commit] ?? "no valid config yet")
            return
        }
        let mapping = current ?? good.mapping

        // 3. Observe, diff and (in sync mode) apply.
        let newCommit = state.lastGoodRevision != good.commit
        var passOptions = ReconcileOptions()
        passOptions.diff = options.diff
        passOptions.allowMassDelete = options.allowMassDelete
        passOptions.secretsOut = options.secretsOut
        // Observe mode never writes; with self-heal off, sync mode writes only when a new commit arrives.
        passOptions.dryRun = options.mode == .observe || (!options.selfHeal && !newCommit)
        let environment = EnvironmentResolver(
            processEnvironment: processEnvironment, envFile: options.envFile, configEnvironment: mapping.configEnvironment)
        let result = await ReconcilePass.run(mapping: mapping, client: gateway, environment: environment, options: passOptions)

        // 4. Record.
        let mode = passOptions.dryRun ? (options.mode == .observe ? "observe" : "sync (drift check)") : "sync"
        let context = ReconcileContext(
            trigger: reason.rawValue, mode: mode, configFiles: mapping.files, revision: good.commit,
            author: "\(good.revision.author) <\(good.revision.authorEmail)>", commitMessage: good.revision.summary)
        var summary = ReconcileSummary(
            startedAt: started, trigger: reason, mode: mode, revision: good.commit, status: result.status.rawValue,
            seconds: Controller.seconds(since: clock))
        summary.error = result.error
        for r in result.results where r.applied {  // not skipped ones: a skipped change made nothing
            switch r.change.action {
            case .create: summary.created += 1
            case .update, .replace: summary.updated += 1
            case .delete: summary.deleted += 1
            }
        }
        summary.failed = result.failures.count
        summary.driftObjects = result.plan?.changes.count ?? 0
        if let stats = result.requests {
            for (key, count) in stats.counts {
                metrics.increment(
                    ControllerMetrics.gatewayRequestsTotal,
                    labels: ["method": key.method, "status": key.status == 0 ? "none" : String(key.status)], by: Double(count))
            }
        }

        let failed = result.error != nil || result.status == .partiallyFailed
        if let error = result.error {
            state.degradedReason = error
            consecutiveFailures += 1
        } else {
            consecutiveFailures = result.status == .partiallyFailed ? consecutiveFailures + 1 : 0
            // Degraded stays set while the remote is unreachable, even when the gateway pass itself succeeded.
            if !fetchFailed { state.degradedReason = nil }
            state.ready = true
            if result.status != .partiallyFailed {
                state.lastGoodRevision = good.commit
                state.lastSuccessAt = Date()
                metrics.set(ControllerMetrics.lastSuccessTimestampSeconds, to: Date().timeIntervalSince1970)
            }
            var drift: [String: Int] = [:]
            if passOptions.dryRun {
                for change in result.plan?.changes ?? [] { drift[change.ref.kind.rawValue, default: 0] += 1 }
            }
            state.driftByKind = drift
            for kind in ResourceKind.allCases { metrics.set(ControllerMetrics.driftObjects, labels: ["kind": kind.rawValue], to: Double(drift[kind.rawValue] ?? 0)) }
            if state.failingRevision == nil {
                state.syncState = drift.isEmpty && result.status != .partiallyFailed ? .synced : .drifted
            }
            metrics.reset(ControllerMetrics.lastAppliedRevision)  // one series: the current revision
            metrics.set(ControllerMetrics.lastAppliedRevision, labels: ["revision": good.commit], to: 1)
        }
        metrics.set(ControllerMetrics.ready, to: state.ready ? 1 : 0)
        record(summary: summary, result: result, context: context, failed: failed)
    }

    private func finishFailure(reason: TriggerReason, started: Date, clock: ContinuousClock.Instant, revision: GitRevision?, status: String, error: String) {
        consecutiveFailures += 1
        var summary = ReconcileSummary(
            startedAt: started, trigger: reason, mode: options.mode.rawValue, revision: revision?.commit, status: status,
            seconds: Controller.seconds(since: clock))
        summary.error = error
        let context = ReconcileContext(
            trigger: reason.rawValue, mode: options.mode.rawValue, configFiles: [options.configPath], revision: revision?.commit,
            author: revision.map { "\($0.author) <\($0.authorEmail)>" }, commitMessage: revision?.summary)
        var result = ReconcileResult(status: .failed, startedAt: started)
        result.error = error
        record(summary: summary, result: result, context: context, failed: true)
    }

    private func record(summary: ReconcileSummary, result: ReconcileResult, context: ReconcileContext, failed: Bool) {
        var summary = summary
        do {
            summary.reportBase = try reports.write(result, context: context)
        } catch {
            logger.error("cannot write the reconcile report: \(error)")
        }
        state.recent.insert(summary, at: 0)
        if state.recent.count > 50 { state.recent.removeLast(state.recent.count - 50) }
        do {
            try reports.writeIndex(state.recent)
        } catch {
            logger.error("cannot write the report index: \(error)")
        }
        let label = summary.status
        metrics.increment(ControllerMetrics.reconcileTotal, labels: ["result": label])
        metrics.observe(ControllerMetrics.reconcileDurationSeconds, labels: ["result": label], value: summary.seconds)
        let line = "reconcile \(summary.trigger.rawValue) \(summary.revision.map { String($0.prefix(12)) } ?? "-"): \(label), created \(summary.created), updated \(summary.updated), deleted \(summary.deleted), failed \(summary.failed) in \(summary.seconds.fixed(decimals: 2)) s"
        if failed { logger.warning("\(line)\(summary.error.map { ": " + $0 } ?? "")") } else { logger.info("\(line)") }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
