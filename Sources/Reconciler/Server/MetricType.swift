/// The kind of a Prometheus metric family, as written on its `# TYPE` line.
///
/// ```swift
/// metrics.describe("litellm_synapse_reconciles_total", type: .counter, help: "Reconcile passes by result.")
/// ```
public enum MetricType: String, Sendable {
    /// Only goes up (`increment`).
    case counter
    /// Goes up and down (`set`).
    case gauge
    /// Observations counted into cumulative buckets (`observe`), with `_bucket`, `_sum` and `_count` series.
    case histogram
}
