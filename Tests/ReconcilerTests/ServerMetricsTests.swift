import Foundation
import Reconciler
import Testing

/// A strict-enough reader of the Prometheus text format 0.0.4 for checking what `/metrics` serves.
struct PrometheusExposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(description: "output must end with a line feed") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4 else { throw ParseError(description: "bad comment line: \(line)") }
                let name = String(parts[2])
                if parts[1] == "HELP" {
                    help[name] = String(parts[3])
                } else {
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw ParseError(description: "bad type: \(line)")
                    }
                    guard types[name] == nil else { throw ParseError(description: "second TYPE for \(name)") }
                    guard !samples.contains(where: { Self.family(of: $0.name) == name }) else {
                        throw ParseError(description: "TYPE for \(name) after its samples")
                    }
                    types[name] = String(parts[3])
                }
                continue
            }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            samples.append(try Self.sample(Substring(line)))
        }
    }

    /// The family a sample belongs to (`x_bucket`, `x_sum`, `x_count` belong to histogram `x`).
    static func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    func familyType(of sample: Sample) -> String? {
        types[sample.name] ?? types[Self.family(of: sample.name)]
    }

    private static func sample(_ line: Substring) throws -> Sample {
        var rest = line
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty, !(name.first!.isNumber) else { throw ParseError(description: "bad metric name: \(line)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest.removeFirst()
            while rest.first != "}" {
                let labelName = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                guard !labelName.isEmpty else { throw ParseError(description: "bad label name: \(line)") }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { throw ParseError(description: "expected =\": \(line)") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let c = rest.first else { throw ParseError(description: "unterminated label value: \(line)") }
                    rest.removeFirst()
                    if c == "\"" { break }
                    if c == "\\" {
                        guard let escaped = rest.first else { throw ParseError(description: "dangling escape: \(line)") }
                        rest.removeFirst()
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw ParseError(description: "bad escape \\\(escaped): \(line)")
                        }
                    } else {
                        value.append(c)
                    }
                }
                guard labels[String(labelName)] == nil else { throw ParseError(description: "duplicate label: \(line)") }
                labels[String(labelName)] = value
                if rest.first == "," { rest.removeFirst() }
            }
            rest.removeFirst()
        }
        guard rest.first == " " else { throw ParseError(description: "expected a space before the value: \(line)") }
        let valueText = rest.dropFirst()
        let value: Double
        switch valueText {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let parsed = Double(valueText) else { throw ParseError(description: "bad value: \(line)") }
            value = parsed
        }
        return Sample(name: String(name), labels: labels, value: value)
    }

    /// Checks every histogram: per label set, buckets ascend in `le`, counts are cumulative, the last bucket is
    /// `+Inf` and equals `_count`, and `_sum` exists.
    func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var groups: [[String: String]: [(Double, Double)]] = [:]
            for sample in samples where sample.name == family + "_bucket" {
                var key = sample.labels
                guard let le = key.removeValue(forKey: "le") else { throw ParseError(description: "bucket without le in \(family)") }
                let bound = le == "+Inf" ? Double.infinity : Double(le)
                guard let bound else { throw ParseError(description: "bad le \(le) in \(family)") }
                groups[key, default: []].append((bound, sample.value))
            }
            for (key, buckets) in groups {
                guard buckets.map(\.0) == buckets.map(\.0).sorted() else { throw ParseError(description: "\(family) le not ascending") }
                for (a, b) in zip(buckets, buckets.dropFirst()) where b.1 < a.1 {
                    throw ParseError(description: "\(family)\(key) buckets not cumulative")
                }
                guard buckets.last?.0 == .infinity else { throw ParseError(description: "\(family)\(key) lacks le=+Inf") }
                let count = samples.first { $0.name == family + "_count" && $0.labels == key }?.value
                guard count == buckets.last?.1 else { throw ParseError(description: "\(family)\(key) +Inf bucket != _count") }
                guard samples.contains(where: { $0.name == family + "_sum" && $0.labels == key }) else {
                    throw ParseError(description: "\(family)\(key) lacks _sum")
                }
            }
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}

@Suite("Metrics registry (Prometheus text format)")
struct ServerMetricsTests {
    @Test func countersGaugesAndHistogramsRenderWithHelpAndType() throws {
        let metrics = MetricsRegistry()
        metrics.describe("jobs_total", type: .counter, help: "Jobs done.")
        metrics.describe("queue_depth", type: .gauge, help: "Items waiting.")
        metrics.describe("pass_seconds", type: .histogram, help: "Pass duration.")
        metrics.increment("jobs_total", labels: ["result": "ok"])
        metrics.increment("jobs_total", labels: ["result": "ok"], by: 2)
        metrics.increment("jobs_total", labels: ["result": "failed"])
        metrics.set("queue_depth", to: 7)
        for value in [0.005, 0.3, 0.3, 4, 1000] {
            metrics.observe("pass_seconds", labels: ["result": "ok"], value: value)
        }

        let text = metrics.render()
        let parsed = try PrometheusExposition(text)
        #expect(parsed.types == ["jobs_total": "counter", "queue_depth": "gauge", "pass_seconds": "histogram"])
        #expect(parsed.help["pass_seconds"] == "Pass duration.")
        #expect(parsed.value("jobs_total", ["result": "ok"]) == 3)
        #expect(parsed.value("jobs_total", ["result": "failed"]) == 1)
        #expect(parsed.value("queue_depth") == 7)
        #expect(parsed.value("pass_seconds_count", ["result": "ok"]) == 5)
        #expect(abs((parsed.value("pass_seconds_sum", ["result": "ok"]) ?? 0) - 1004.605) < 1e-9)
        #expect(parsed.value("pass_seconds_bucket", ["result": "ok", "le": "0.01"]) == 1)
        #expect(parsed.value("pass_seconds_bucket", ["result": "ok", "le": "0.5"]) == 3)
        #expect(parsed.value("pass_seconds_bucket", ["result": "ok", "le": "5"]) == 4)
        #expect(parsed.value("pass_seconds_bucket", ["result": "ok", "le": "300"]) == 4)
        #expect(parsed.value("pass_seconds_bucket", ["result": "ok", "le": "+Inf"]) == 5)
        try parsed.checkHistograms()
        // HELP and TYPE precede the family's samples.
        let lines = text.split(separator: "\n")
        let firstSample = try #require(lines.firstIndex { $0.hasPrefix("pass_seconds_bucket") })
        #expect(lines[firstSample - 1] == "# TYPE pass_seconds histogram")
        #expect(lines[firstSample - 2] == "# HELP pass_seconds Pass duration.")
    }

    @Test func labelValuesAndHelpAreEscaped() throws {
        let metrics = MetricsRegistry()
        metrics.describe("odd_total", type: .counter, help: "Back\\slash and\nnewline.")
        let nasty = "a \"quoted\" back\\slash\nnew line {}=,"
        metrics.increment("odd_total", labels: ["kind": nasty])
        let text = metrics.render()
        #expect(text.contains(#"odd_total{kind="a \"quoted\" back\\slash\nnew line {}=,"} 1"#))
        #expect(text.contains(#"# HELP odd_total Back\\slash and\nnewline."#))
        let parsed = try PrometheusExposition(text)
        #expect(parsed.samples == [.init(name: "odd_total", labels: ["kind": nasty], value: 1)])
    }

    @Test func invalidNamesAreSanitisedAndTypeMismatchesIgnored() throws {
        let metrics = MetricsRegistry()
        metrics.increment("9bad-name.total", labels: ["label-name": "x", "le": "dropped"])
        metrics.set("9bad-name.total", to: 100)  // a counter cannot be set: ignored
        metrics.increment("9bad-name.total", by: -5)  // counters never go down: ignored
        let parsed = try PrometheusExposition(metrics.render())
        #expect(parsed.samples == [.init(name: "_bad_name_total", labels: ["label_name": "x"], value: 1)])
        #expect(parsed.types["_bad_name_total"] == "counter")
    }

    @Test func resetForgetsOldLabelValues() throws {
        let metrics = MetricsRegistry()
        metrics.describe(ControllerMetrics.lastAppliedRevision, type: .gauge, help: "Revision.")
        metrics.set(ControllerMetrics.lastAppliedRevision, labels: ["revision": "aaa"], to: 1)
        metrics.reset(ControllerMetrics.lastAppliedRevision)
        metrics.set(ControllerMetrics.lastAppliedRevision, labels: ["revision": "bbb"], to: 1)
        let parsed = try PrometheusExposition(metrics.render())
        #expect(parsed.samples.map(\.labels) == [["revision": "bbb"]])
        #expect(parsed.help[ControllerMetrics.lastAppliedRevision] == "Revision.")
    }

    @Test func customBucketsAndStableOrder() throws {
        let metrics = MetricsRegistry()
        metrics.describe("size", type: .histogram, help: "Sizes.", buckets: [10, 1, 100, 1])
        metrics.observe("size", labels: ["b": "2"], value: 5)
        metrics.observe("size", labels: ["b": "1"], value: 500)
        let text = metrics.render()
        #expect(text == metrics.render())
        let parsed = try PrometheusExposition(text)
        try parsed.checkHistograms()
        #expect(parsed.samples.filter { $0.name == "size_bucket" && $0.labels["b"] == "1" }.map { $0.labels["le"]! } == ["1", "10", "100", "+Inf"])
        #expect(parsed.value("size_bucket", ["b": "1", "le": "100"]) == 0)
        #expect(parsed.value("size_bucket", ["b": "1", "le": "+Inf"]) == 1)
        let firstB1 = try #require(text.range(of: "b=\"1\""))
        let firstB2 = try #require(text.range(of: "b=\"2\""))
        #expect(firstB1.lowerBound < firstB2.lowerBound)
    }

    @Test func concurrentUpdatesAreAllCounted() async {
        let metrics = MetricsRegistry()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for _ in 0..<1000 {
                        metrics.increment("hits_total", labels: ["worker": String(worker % 2)])
                        metrics.observe("lat_seconds", value: 0.02)
                    }
                }
            }
        }
        #expect(metrics.value("hits_total", labels: ["worker": "0"]) == 4000)
        #expect(metrics.value("hits_total", labels: ["worker": "1"]) == 4000)
        #expect(metrics.render().contains("lat_seconds_count 8000\n"))
    }
}
