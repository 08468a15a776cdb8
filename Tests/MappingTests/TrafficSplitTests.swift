import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("traffic split (simple-shuffle)")
struct TrafficSplitTests {
    /// Maps one group "g" whose deployments have the given litellm_params extras, and returns its rule weights.
    private func weights(_ extras: [String]) throws -> [Int?] {
        var yaml = "model_list:\n"
        for (i, extra) in extras.enumerated() {
            yaml += "  - model_name: g\n    litellm_params: {model: openai/m\(i)\(extra.isEmpty ? "" : ", " + extra)}\n"
        }
        let result = try mapConfig(yaml)
        return result.rules(for: "g").map { $0["weight"]?.intValue }
    }

    @Test func weightWinsOverRpmAndTpm() throws {
        #expect(try weights(["weight: 1, rpm: 100, tpm: 5", "weight: 3, rpm: 900, tpm: 1"]) == [25, 75])
    }

    @Test func rpmIsUsedWhenNoWeightIsSet() throws {
        #expect(try weights(["rpm: 600, tpm: 1", "rpm: 200, tpm: 3"]) == [75, 25])
    }

    @Test func tpmIsUsedWhenNeitherWeightNorRpmIsSet() throws {
        #expect(try weights(["tpm: 1000", "tpm: 3000"]) == [25, 75])
    }

    @Test func equalSharesWhenNothingIsSet() throws {
        #expect(try weights(["", "", ""]) == [34, 33, 33])
    }

    @Test func aMetricCountsWhenAnyDeploymentHasAPositiveValue() throws {
        // LiteLLM 1.110: a missing value counts as 0; a metric is used once some deployment has a value > 0.
        #expect(try weights(["rpm: 100", "weight: 1"]) == [0, 100])
        #expect(try weights(["weight: 0, rpm: 100", "weight: 0, rpm: 300"]) == [25, 75])
    }

    @Test func textRpmIsIgnoredForWeightsButKeptAsALimit() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: g
                litellm_params: {model: openai/a, rpm: "300"}
              - model_name: g
                litellm_params: {model: openai/b, rpm: 100}
            """)
        #expect(result.rules(for: "g").map { $0["weight"]?.intValue } == [0, 100])
        #expect(result.report.warnings.contains { $0.message.contains("rpm is written as text") })
        #expect(result.objects(.provider).first?.fields["rateLimits"]?["rpm"] == 400)
        #expect(try weights(["rpm: \"300\"", "rpm: \"100\""]) == [50, 50])
    }

    @Test func rpmBesideLitellmParamsCounts() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: g
                rpm: 100
                litellm_params: {model: openai/a}
              - model_name: g
                rpm: 300
                litellm_params: {model: openai/b}
            """)
        #expect(result.rules(for: "g").map { $0["weight"]?.intValue } == [25, 75])
    }

    @Test func floatWeights() throws {
        #expect(try weights(["weight: 0.5", "weight: 1.5"]) == [25, 75])
    }

    @Test(arguments: [".inf", ".nan", "-.inf", "1.0e+400"])
    func nonFiniteWeightsAreRejected(value: String) {
        let error = mappingError("""
            model_list:
              - model_name: g
                litellm_params: {model: openai/a, weight: \(value)}
              - model_name: g
                litellm_params: {model: openai/b, weight: 1}
            """)
        expectLocated(error, line: 3, mentioning: ["weight"])
    }

    @Test func hugeFiniteWeightsStillSumTo100() throws {
        #expect(try weights(["weight: 1.0e+308", "weight: 1.0e+308"]) == [50, 50])
        #expect(try weights(["weight: 1.7e+308", "weight: 1.7e+308", "weight: 1.7e+308"]) == [34, 33, 33])
    }

    @Test func negativeWeightIsAnError() {
        let error = mappingError("""
            model_list:
              - model_name: g
                litellm_params: {model: openai/a, weight: -1}
            """)
        expectLocated(error, line: 3, mentioning: ["negative"])
    }

    /// A group of one takes a short path: it must choose the basis the general path chooses (checked on a group of
    /// two copies of the deployment, which splits evenly on that basis) and give the deployment everything.
    @Test(arguments: ["", "weight: 2", "rpm: 5", "tpm: 7", "weight: 0, rpm: 5", "weight: 0, rpm: 0, tpm: 9", "rpm: \"5\", tpm: 3", "order: 2, rpm: 4"])
    func aGroupOfOneChoosesTheBasisAGroupOfTwoWould(params: String) throws {
        let s = Scratch()
        s.write("config.yaml", "model_list:\n" + (0..<3).map { i in
            "  - model_name: \(i == 0 ? "one" : "two")\n    litellm_params: {model: openai/m\(i)\(params.isEmpty ? "" : ", " + params)}\n"
        }.joined())
        let deployments = try LiteLLMConfig(try s.load()).deployments
        let one = TrafficSplit(Array(deployments[0..<1]))
        let two = TrafficSplit(Array(deployments[1..<3]))
        #expect(one.basis == two.basis)
        #expect(one.shares.map(\.deployment) == [0] && one.shares.map(\.percent) == [100])
        #expect(two.shares.map(\.percent) == [50, 50])
        #expect(one.failover.isEmpty && two.failover.isEmpty)
    }

    @Test func singleDeploymentUnderAnotherNameGetsOneRuleWithoutWeight() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: my-gpt
                litellm_params: {model: azure/gpt-4o-eu, rpm: 10}
            """)
        let rules = result.rules(for: "my-gpt")
        #expect(rules.count == 1)
        #expect(rules.first?["weight"] == nil)
        #expect(rules.first?["routeTo"] == "gpt-4o-eu")
        #expect(rules.first?[Ownership.ruleOwnerField] == .string(Ownership.ruleOwnerValue))
    }

    @Test func percentagesArePropertyChecked() {
        var rng = SeededGenerator(seed: 0x5EED)
        for trial in 0..<5000 {
            let count = Int.random(in: 1...12, using: &rng)
            let weights: [Double] = (0..<count).map { _ in
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: return 0
                case 1: return Double(Int.random(in: 1...10, using: &rng))
                case 2: return Double.random(in: 0...1, using: &rng)
                case 3: return Double(Int.random(in: 1...1_000_000, using: &rng))
                case 4: return Double.random(in: 1e-12...1e-9, using: &rng)
                default: return Double.random(in: 1e300...1.7e308, using: &rng)
                }
            }
            let percents = TrafficSplit.percentages(weights)
            #expect(percents.count == count)
            guard weights.contains(where: { $0 > 0 }) else { continue }
            #expect(percents.reduce(0, +) == 100, "trial \(trial): \(weights) → \(percents)")
            let largest = weights.max()!
            let scaled = weights.map { $0 / largest }
            let total = scaled.reduce(0, +)
            for (w, p) in zip(scaled, percents) {
                let exact = w / total * 100
                #expect(abs(Double(p) - exact) < 1.0 + 1e-9, "trial \(trial): \(weights) → \(percents)")
                if w == 0 { #expect(p == 0) }
                #expect(p >= 0)
            }
        }
    }

    @Test func splitsThroughTheWholePipelineSumTo100() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<40 {
            let count = Int.random(in: 2...6, using: &rng)
            let metric = ["weight", "rpm", "tpm"].randomElement(using: &rng)!
            let extras = (0..<count).map { _ in "\(metric): \(Int.random(in: 1...5000, using: &rng))" }
            let shares = try weights(extras).compactMap { $0 }
            #expect(shares.count == count)
            #expect(shares.reduce(0, +) == 100, "\(extras) → \(shares)")
        }
    }

    @Test func tiesGoToTheEarlierEntry() {
        #expect(TrafficSplit.percentages([1, 1, 1]) == [34, 33, 33])
        #expect(TrafficSplit.percentages([1, 1, 1, 1, 1, 1]) == [17, 17, 17, 17, 16, 16])
        #expect(TrafficSplit.percentages([0, 0]) == [0, 0])
        #expect(TrafficSplit.percentages([]) == [])
    }
}
