import Synchronization

/// Prometheus metrics held in memory and rendered in the text exposition format 0.0.4 for `GET /metrics`.
///
/// Thread-safe: the controller loop, the gateway client and the HTTP handlers update one shared registry.
/// A metric family is a name with a type; each distinct label set under it is one series. Families and series
/// render sorted, so the output is stable.
///
/// ```swift
/// let metrics = MetricsRegistry()
/// metrics.describe("litellm_synapse_reconciles_total", type: .counter, help: "Reconcile passes by result.")
/// metrics.increment("litellm_synapse_reconciles_total", labels: ["result": "success"])
/// metrics.observe("litellm_synapse_reconcile_duration_seconds", labels: ["result": "success"], value: 0.42)
/// metrics.set("litellm_synapse_drift_objects", labels: ["kind": "route"], to: 3)
/// print(metrics.render())
/// ```
///
/// A name used with an operation of another type than its family's (say `set` on a counter) is ignored rather than
/// trapping: metrics must never bring the controller down. Invalid characters in metric and label names become `_`.
public final class MetricsRegistry: Sendable {
    /// Histogram buckets (upper bounds, seconds) used unless `describe` gives others: from 10 ms to 5 minutes,
    /// which covers a gateway request as well as a slow reconcile of a large config.
    public static let defaultBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

    private struct Histogram {
        /// Per bucket, not cumulative (cumulated when rendering).
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private enum Series {
        case value(Double)
        case histogram(Histogram)
    }

    private struct Family {
        var type: MetricType
        var help: String?
        var buckets: [Double]
        /// Keyed by the label pairs sorted by name.
        var series: [[LabelPair]: Series] = [:]
    }

    private struct LabelPair: Hashable, Comparable {
        var name: String
        var value: String
        static func < (a: LabelPair, b: LabelPair) -> Bool { (a.name, a.value) < (b.name, b.value) }
    }

    private let families = Mutex<[String: Family]>([:])

    public init() {}

    /// Sets the `# HELP` text and the type of a family (call once at start, before or after first use).
    /// `buckets` applies to histograms only and must be given before the first observation to take effect.
    public func describe(_ name: String, type: MetricType, help: String, buckets: [Double]? = nil) {
        let name = Self.sanitizedMetricName(name)
        let bounds = Self.validBuckets(buckets ?? Self.defaultBuckets)
        families.withLock { families in
            if var family = families[name] {
                guard family.type == type else { return }
                family.help = help
                if family.series.isEmpty { family.buckets = bounds }
                families[name] = family
            } else {
                families[name] = Family(type: type, help: help, buckets: bounds)
            }
        }
    }

    /// Adds `by` (which must not be negative) to a counter.
    public func increment(_ name: String, labels: [String: String] = [:], by amount: Double = 1) {
        guard amount >= 0 else { return }  // a counter that goes down breaks rate()
        update(name, type: .counter, labels: labels) { series in
            if case .value(let current) = series { series = .value(current + amount) } else { series = .value(amount) }
        }
    }

    /// Sets a gauge.
    public func set(_ name: String, labels: [String: String] = [:], to value: Double) {
        update(name, type: .gauge, labels: labels) { series in series = .value(value) }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, labels: [String: String] = [:], value: Double) {
        guard !value.isNaN else { return }
        let name = Self.sanitizedMetricName(name)
        let key = Self.labelKey(labels)
        families.withLock { families in
            var family = families[name] ?? Family(type: .histogram, help: nil, buckets: Self.defaultBuckets)
            guard family.type == .histogram else { return }
            var histogram: Histogram
            if case .histogram(let existing) = family.series[key] {
                histogram = existing
            } else {
                histogram = Histogram(counts: Array(repeating: 0, count: family.buckets.count))
            }
            if let index = family.buckets.firstIndex(where: { value <= $0 }) { histogram.counts[index] += 1 }
            histogram.sum += value
            histogram.count += 1
            family.series[key] = .histogram(histogram)
            families[name] = family
        }
    }

    /// Forgets every series of a family (keeping its description): for gauges whose label values come and go,
    /// such as the last applied revision or drift by kind.
    public func reset(_ name: String) {
        let name = Self.sanitizedMetricName(name)
        families.withLock { families in families[name]?.series.removeAll() }
    }

    /// The current value of a counter or gauge series, if it exists (for tests and the status page).
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        let name = Self.sanitizedMetricName(name)
        return families.withLock { families in
            if case .value(let v) = families[name]?.series[Self.labelKey(labels)] { return v }
            return nil
        }
    }

    /// Everything, in the Prometheus text exposition format 0.0.4.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            if let help = family.help {
                out += "# HELP \(name) \(Self.escapeHelp(help))\n"
            }
            out += "# TYPE \(name) \(family.type.rawValue)\n"
            for key in family.series.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                switch family.series[key]! {
                case .value(let v):
                    out += "\(name)\(Self.renderLabels(key)) \(Self.format(v))\n"
                case .histogram(let h):
                    var cumulative: UInt64 = 0
                    for (bound, count) in zip(family.buckets, h.counts) {
                        cumulative += count
                        let labels = key + [LabelPair(name: "le", value: Self.format(bound))]
                        out += "\(name)_bucket\(Self.renderLabels(labels)) \(cumulative)\n"
                    }
                    out += "\(name)_bucket\(Self.renderLabels(key + [LabelPair(name: "le", value: "+Inf")])) \(h.count)\n"
                    out += "\(name)_sum\(Self.renderLabels(key)) \(Self.format(h.sum))\n"
                    out += "\(name)_count\(Self.renderLabels(key)) \(h.count)\n"
                }
            }
        }
        return out
    }

    // MARK: - Helpers

    private func update(_ name: String, type: MetricType, labels: [String: String], _ change: (inout Series) -> Void) {
        let name = Self.sanitizedMetricName(name)
        let key = Self.labelKey(labels)
        families.withLock { families in
            var family = families[name] ?? Family(type: type, help: nil, buckets: Self.defaultBuckets)
            guard family.type == type else { return }
            var series = family.series[key] ?? .value(0)
            change(&series)
            family.series[key] = series
            families[name] = family
        }
    }

    private static func labelKey(_ labels: [String: String]) -> [LabelPair] {
        // "le" is reserved for histogram buckets; a caller's "le" would produce duplicate labels.
        labels.map { LabelPair(name: sanitizedLabelName($0.key), value: $0.value) }.filter { $0.name != "le" }.sorted()
    }

    private static func renderLabels(_ pairs: [LabelPair]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed (exposition format 0.0.4).
    static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ help: String) -> String {
        var out = ""
        for c in help.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Whole numbers without a fraction; others as Swift prints them (which Prometheus parses); ±Inf and NaN as
    /// the format spells them.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func sanitizedMetricName(_ name: String) -> String {
        sanitized(name, allowColon: true)
    }

    static func sanitizedLabelName(_ name: String) -> String {
        sanitized(name, allowColon: false)
    }

    private static func sanitized(_ name: String, allowColon: Bool) -> String {
        var out = ""
        for (i, c) in name.unicodeScalars.enumerated() {
            let letter = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || (allowColon && c == ":")
            let digit = ("0"..."9").contains(c)
            out.unicodeScalars.append(letter || (digit && i > 0) ? c : "_")
        }
        return out.isEmpty ? "_" : out
    }

    private static func validBuckets(_ buckets: [Double]) -> [Double] {
        // Sorted, unique and finite: +Inf is always added when rendering.
        Array(Set(buckets.filter { $0.isFinite })).sorted()
    }
}
