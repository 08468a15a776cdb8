import SynapseContract

/// LiteLLM `model_info` fields → the contract's model `capabilities`, `modelType`, `pricing` and `limits`.
enum ModelCapabilities {
    /// `supports_*` flag → capability name in `CreateModelRequest.capabilities`.
    static let flags: [(String, String)] = [
        ("supports_function_calling", "tools"), ("supports_vision", "vision"), ("supports_response_schema", "jsonMode"),
        ("supports_system_messages", "systemMessage"), ("supports_audio_input", "audioInput"),
        ("supports_audio_output", "audioOutput"), ("supports_native_streaming", "streaming"),
    ]

    /// LiteLLM `mode` → contract `modelType`; nil for modes the contract has no type for.
    static func modelType(mode: String) -> String? {
        switch mode {
        case "chat", "responses": return "CHAT"
        case "completion": return "COMPLETION"
        case "embedding": return "EMBEDDING"
        case "image_generation", "image_edit", "image_variation": return "IMAGE"
        case "audio_transcription", "audio_speech", "realtime": return "AUDIO"
        default: return nil
        }
    }

    /// (LiteLLM per-token field, contract pricing field, factor): per-token prices become per-1k-token prices.
    static let prices: [(String, String, Double)] = [
        ("input_cost_per_token", "inputCostPer1kTokens", 1000), ("output_cost_per_token", "outputCostPer1kTokens", 1000),
        ("cache_read_input_token_cost", "cacheReadCostPer1kTokens", 1000),
        ("cache_creation_input_token_cost", "cacheWriteCostPer1kTokens", 1000),
        ("input_cost_per_second", "inputCostPerSecond", 1), ("output_cost_per_second", "outputCostPerSecond", 1),
        ("input_cost_per_character", "inputCostPer1kCharacters", 1000),
        ("output_cost_per_character", "outputCostPer1kCharacters", 1000),
    ]

    static let limits: [(String, String)] = [
        ("max_tokens", "maxTokens"), ("max_input_tokens", "contextWindow"), ("max_output_tokens", "maxOutputTokens"),
    ]

    /// Removes binary floating-point noise from a scaled price (0.000003 × 1000 → 0.003, not 0.0030000000000000005).
    static func tidy(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let magnitude = (log10(abs(value))).rounded(.down)
        let scale = pow(10, 12 - magnitude)
        let tidied = (value * scale).rounded() / scale
        return tidied.isFinite && scale.isFinite ? tidied : value  // tiny or huge values: leave them as they are
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
