import Mapping
import Testing

/// Load time of a large generated config. The bound here is loose enough for a debug build; the release-build
/// figure is printed (run `swift test -c release --filter YAMLPerformance`).
@Suite struct YAMLPerformanceTests {
    /// A config with `count` deployments, about 270 bytes each, using the usual value kinds.
    static func largeConfig(deployments count: Int) -> [UInt8] {
        var text = "model_list:\n"
        for n in 0..<count {
            text += """
              - model_name: group-\(n % 100)
                litellm_params:
                  model: azure/gpt-4o-deployment-\(n)
                  api_base: https://region-\(n % 7).openai.azure.com/
                  api_key: os.environ/AZURE_API_KEY_\(n % 7)
                  api_version: "2024-02-01"
                  rpm: \(100 + n % 50)
                  tpm: 100_000
                  timeout: 30.5
                  tags: [tier-\(n % 3), eu]
                model_info:
                  id: deployment-\(n)
                  mode: chat
                  supports_vision: yes

            """
        }
        text += "router_settings:\n  routing_strategy: simple-shuffle\n  num_retries: 2\n"
        return Array(text.utf8)
    }

    @Test func tenThousandDeploymentsLoadQuickly() throws {
        let bytes = Self.largeConfig(deployments: 10_000)
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        var root: YAMLNode?
        for _ in 0..<3 {
            let elapsed = try clock.measure { root = try YAMLLoader.load(bytes, file: "big.yaml") }
            best = min(best, elapsed)
        }
        print("YAML load of \(bytes.count) bytes (10,000 deployments): best of 3 = \(best)")
        let models = root?["model_list"]
        guard case .sequence(let items)? = models?.value else {
            Issue.record("model_list is not a list")
            return
        }
        #expect(items.count == 10_000)
        #expect(items[9_999]["litellm_params"]?["rpm"]?.value == .int(149))
        #expect(items[0]["model_info"]?["supports_vision"]?.value == .bool(true))
        #expect(items[0]["litellm_params"]?["tpm"]?.value == .int(100_000))
        #expect(best < .seconds(3))
    }
}
