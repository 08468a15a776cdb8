import FoundationEssentials
import Glibc

/// Why a reconcile ran.
public enum TriggerReason: String, Sendable, Hashable, CaseIterable {
    case startup, interval, webhook, manual
}

/// A snapshot of the controller for `/api/status`, `/status` and `/readyz`.
public struct ControllerStatus: Sendable {
    public enum SyncState: String, Sendable {
        /// The gateway matches the last good revision.
        case synced
        /// Differences found and not (yet) corrected (observe mode, or self-heal off).
        case drifted
        /// The newest revision's config is invalid; the last good one stays applied.
        case failing
        /// Nothing reconciled yet.
        case unknown
    }

    public var mode: String
    /// Repository URL with any userinfo redacted.
    public var repository: String
    public var ref: String
    public var configPath: String
    public var syncState: SyncState = .unknown
    /// The revision whose config was last applied (sync) or compared (observe) successfully.
    public var lastGoodRevision: String?
    /// The newest revision fetched.
    public var lastFetchedRevision: String?
    /// A newer revision whose config could not be used, and why.
    public var failingRevision: String?
    public var failingReason: String?
    /// Gateway or git unreachable; the controller retries with backoff.
    public var degradedReason: String?
    /// After the first successful fetch and gateway read.
    public var ready = false
    /// Objects that differed from the config at the last reconcile, by kind.
    public var driftByKind: [String: Int] = [:]
    public var lastSuccessAt: Date?
    public var reconcileInProgress = false
    /// Newest first.
    public var recent: [ReconcileSummary] = []

    public init(mode: String, repository: String, ref: String, configPath: String) {
        self.mode = mode
        self.repository = repository
        self.ref = ref
        self.configPath = configPath
    }
}

/// One line of the reconcile history.
public struct ReconcileSummary: Sendable {
    public var startedAt: Date
    public var trigger: TriggerReason
    public var mode: String
    public var revision: String?
    /// `ReconcileResult.Status` raw value, or `invalid-config` / `git-error`.
    public var status: String
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var failed = 0
    public var driftObjects = 0
    public var seconds: Double
    /// Base name of the report files in the report folder (`<base>.md`, `<base>.json`), if written.
    public var reportBase: String?
    public var error: String?

    public init(startedAt: Date, trigger: TriggerReason, mode: String, revision: String?, status: String, seconds: Double) {
        self.startedAt = startedAt
        self.trigger = trigger
        self.mode = mode
        self.revision = revision
        self.status = status
        self.seconds = seconds
    }
}

/// What the HTTP endpoints need from the running controller.
public protocol ControllerControl: Sendable {
    func status() async -> ControllerStatus
    /// Asks for a reconcile soon; requests arriving while one is queued are coalesced into it.
    func requestReconcile(_ reason: TriggerReason) async
}
