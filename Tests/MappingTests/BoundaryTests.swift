import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("numbers at the edges, teams, keys")
struct BoundaryTests {
    @Test(arguments: [".inf", ".nan", "-.inf", "1.0e+300", "-5"])
    func budgetsMustBeFiniteAndFitInCents(value: String) {
        expectLocated(mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, max_budget: \(value)}
            """), line: 3, mentioning: ["max_budget"])
        expectLocated(mappingError("""
            litellm_synapse:
              teams:
                - name: t
                  max_budget: \(value)
            """), line: 4, mentioning: ["max_budget"])
        expectLocated(mappingError("""
            router_settings:
              provider_budget_config:
                openai: {budget_limit: \(value), time_period: 1d}
            """), line: 3, mentioning: ["budget_limit"])
    }

    @Test(arguments: [".inf", ".nan"])
    func pricesMustBeFinite(value: String) {
        expectLocated(mappingError("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, input_cost_per_token: \(value)}
            """), line: 3, mentioning: ["input_cost_per_token"])
    }

    /// Keyed values skip the string comparison for keys whose signature bit is clear; the answer must still be the
    /// one `==` gives, also for keys `==` finds equal with other bytes (the Kelvin sign is `K`), short or long, with
    /// the non-ASCII byte in the first eight bytes or after them.
    @Test func keyedValuesFindWhatEqualityFinds() {
        let stored = ["rpm", "\u{212A}", "abcdefgh\u{212A}", "\u{212A}bcdefghij", "model_info_long_key", "K2", ""]
        let values = YAMLKeyedValues(stored.enumerated().map { i, key in
            YAMLPair(key: YAMLNode(value: .string(key), location: SourceLocation(file: "k.yaml", line: 1, column: 1)),
                     value: YAMLNode(value: .int(i), location: SourceLocation(file: "k.yaml", line: 1, column: 1)))
        })
        let lookups = stored + ["K", "abcdefghK", "Kbcdefghij", "\u{212A}2", "rpmx", "model_info_long_kez", "tpm", "\u{212A}\u{212A}"]
        for key in lookups {
            let expected = stored.lastIndex { $0 == key }
            #expect(values[key]?.intValue == expected, "\(key.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func tinyAndHugePricesStayValidJSONNumbers() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, input_cost_per_token: 1.0e-300, output_cost_per_token: 0.000003}
            """)
        let pricing = try #require(result.objects(.model).first?.fields["pricing"])
        #expect(pricing["inputCostPer1kTokens"]?.doubleValue?.isFinite == true)
        #expect(pricing["outputCostPer1kTokens"] == 0.003)
        #expect(payloadProblems(result.desired).isEmpty)
    }

    @Test func hugeRateLimitsDoNotOverflow() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, rpm: 9223372036854775000, tpm: 9223372036854775000}
              - model_name: b
                litellm_params: {model: openai/b, rpm: 9223372036854775000, tpm: 9223372036854775000}
            """)
        #expect(result.objects(.provider).first?.fields["rateLimits"]?["rpm"] == .int(Int.max))
        #expect(result.objects(.rateLimitTier).first?.fields["tier"] == "enterprise")
        #expect(result.rules(for: "a").isEmpty)
    }

    @Test func parentTeamsComeFirstInThePayloadFile() throws {
        let result = try mapConfig("""
            litellm_synapse:
              teams:
                - {name: alpha, parent: zeta}
                - {name: beta}
                - {name: zeta, parent: omega}
                - {name: omega}
            """)
        let file = try #require(PlanPayloads.files(for: result.desired).first { $0.name == "payloads/teams.json" })
        let keys = try JSONValue.parse(file.contents).arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        #expect(Set(keys) == ["alpha", "beta", "zeta", "omega"])
        let position = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        #expect(position["omega"]! < position["zeta"]!)
        #expect(position["zeta"]! < position["alpha"]!)
        #expect(result.object(.team, "alpha")?.links["parentTeamId"] == ObjectRef(kind: .team, key: "zeta"))
    }

    @Test func parentCyclesAreErrors() {
        expectLocated(mappingError("""
            litellm_synapse:
              teams:
                - {name: a, parent: b}
                - {name: b, parent: a}
            """), line: 3, mentioning: ["cycle"])
        expectLocated(mappingError("""
            litellm_synapse:
              teams:
                - {name: a, parent: a}
            """), line: 3)
    }

    @Test func teamsAndKeysMap() throws {
        let result = try mapConfig("""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o}
            litellm_settings:
              default_team_settings:
                - {team_id: ds, max_budget: 5, budget_duration: 1d}
                - {team_id: platform}
            litellm_synapse:
              teams:
                - {name: platform, description: Platform, max_budget: 12.345, budget_duration: weekly}
              virtual_keys:
                - {name: k, models: [gpt-4o, nope], expires: "2027-01-01T00:00:00+02:00"}
            """)
        #expect(result.object(.team, "platform")?.fields["maxBudgetCents"] == 1235)
        #expect(result.object(.team, "platform")?.fields["budgetPeriod"] == "weekly")
        #expect(result.object(.team, "ds")?.fields["budgetPeriod"] == "daily")
        #expect(result.objects(.team).count == 2, "litellm_synapse.teams wins over a default_team_settings entry of the same name")
        #expect(result.object(.virtualKey, "k")?.fields["expiresAt"] == "2027-01-01T00:00:00+02:00")
        #expect(result.report.warnings.contains { $0.message.contains("nope") })
        #expect(payloadProblems(result.desired).isEmpty)
        for object in result.desired.objects where object.kind != .routingConfig && object.kind != .rateLimitTier {
            #expect(Ownership.isOwned(kind: object.kind, fields: PlanPayloads.body(of: object)), "\(object.ref)")
        }
        for rule in result.rules { #expect(rule[Ownership.ruleOwnerField] == .string(Ownership.ruleOwnerValue)) }
    }

    @Test func badTeamAndKeyValues() {
        expectLocated(mappingError("litellm_synapse:\n  teams:\n    - {name: t, max_budget: 1, budget_duration: 90d}\n"), line: 3, mentioning: ["90d"])
        expectLocated(mappingError("litellm_synapse:\n  virtual_keys:\n    - {name: k, expires: tomorrow}\n"), line: 3, mentioning: ["tomorrow"])
        // The shape of a date-time with impossible fields: refused here, not by the gateway at apply time.
        expectLocated(
            mappingError("litellm_synapse:\n  virtual_keys:\n    - {name: k, expires: \"2027-13-45T99:99:99Z\"}\n"), line: 3,
            mentioning: ["2027-13-45T99:99:99Z"])
        expectLocated(mappingError("litellm_synapse:\n  virtual_keys:\n    - {name: k}\n    - {name: k}\n"), line: 4, mentioning: ["k"])
        expectLocated(mappingError("litellm_synapse:\n  tenant: \"\"\n"), line: 2, mentioning: ["tenant"])
    }
}
