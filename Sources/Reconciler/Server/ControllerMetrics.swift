/// The names of the controller's Prometheus metrics, and their descriptions, so the loop, the gateway client and
/// the HTTP server record under one spelling.
///
/// ```swift
/// let metrics = MetricsRegistry()
/// ControllerMetrics.describeAll(in: metrics)
/// metrics.increment(ControllerMetrics.reconcileTotal, labels: ["result": "applied"])
/// metrics.observe(ControllerMetrics.reconcileDurationSeconds, labels: ["result": "applied"], value: 1.8)
/// metrics.reset(ControllerMetrics.lastAppliedRevision)
/// metrics.set(ControllerMetrics.lastAppliedRevision, labels: ["revision": "3f2a…"], to: 1)
/// ```
public enum ControllerMetrics {
    /// Counter, label `result` (the pass's status: `applied`, `in-sync`, `changes-pending`, `partially-failed`,
    /// `failed`, `invalid-config`, `git-error`).
    public static let reconcileTotal = "litellm_synapse_reconciles_total"
    /// Histogram (seconds), label `result`.
    public static let reconcileDurationSeconds = "litellm_synapse_reconcile_duration_seconds"
    /// Gauge set to 1, label `revision`: call `reset` before setting a new revision so only one series remains.
    public static let lastAppliedRevision = "litellm_synapse_last_applied_revision_info"
    /// Gauge, label `kind`: objects differing from the config at the last reconcile.
    public static let driftObjects = "litellm_synapse_drift_objects"
    /// Counter, labels `method` and `status` (HTTP status code, or `none` when no response came).
    public static let gatewayRequestsTotal = "litellm_synapse_gateway_requests_total"
    /// Counter, label `result` (`success`, `failure`).
    public static let gitFetchTotal = "litellm_synapse_git_fetches_total"
    /// Histogram (seconds), label `result`.
    public static let gitFetchDurationSeconds = "litellm_synapse_git_fetch_duration_seconds"
    /// Gauge, Unix time in seconds of the last successful reconcile.
    public static let lastSuccessTimestampSeconds = "litellm_synapse_last_success_timestamp_seconds"
    /// Gauge: 1 once the first fetch and gateway read succeeded.
    public static let ready = "litellm_synapse_ready"
    /// Counter, label `result`: `accepted`, `ping`, `ignored`, `rejected`, `too_large`. Recorded by `ControllerServer`.
    public static let webhookRequestsTotal = "litellm_synapse_webhook_requests_total"
    /// Counter, label `result`: `accepted`, `rejected`. Recorded by `ControllerServer` for `POST /reconcile`.
    public static let manualReconcileRequestsTotal = "litellm_synapse_manual_reconcile_requests_total"

    /// Writes HELP and TYPE for every metric above (call once at start).
    public static func describeAll(in metrics: MetricsRegistry) {
        metrics.describe(reconcileTotal, type: .counter, help: "Reconcile passes, by result.")
        metrics.describe(reconcileDurationSeconds, type: .histogram, help: "Duration of reconcile passes in seconds, by result.")
        metrics.describe(lastAppliedRevision, type: .gauge, help: "The git revision last applied (or compared, in observe mode); always 1.")
        metrics.describe(driftObjects, type: .gauge, help: "Gateway objects that differed from the config at the last reconcile, by kind.")
        metrics.describe(gatewayRequestsTotal, type: .counter, help: "Requests to the Synapse gateway, by method and status.")
        metrics.describe(gitFetchTotal, type: .counter, help: "Git fetches, by result.")
        metrics.describe(gitFetchDurationSeconds, type: .histogram, help: "Duration of git fetches in seconds, by result.")
        metrics.describe(lastSuccessTimestampSeconds, type: .gauge, help: "Unix time of the last successful reconcile, in seconds.")
        metrics.describe(ready, type: .gauge, help: "1 once the first fetch and gateway read succeeded.")
        metrics.describe(webhookRequestsTotal, type: .counter, help: "Webhook deliveries, by result.")
        metrics.describe(manualReconcileRequestsTotal, type: .counter, help: "POST /reconcile requests, by result.")
    }
}
