import SynapseContract

/// The rate-limit tiers the simulator offers, with the limits of the contract's `GET /api/v1/rate-limits/tiers`
/// example (starter 10 rps / 100 rpm / 100k tpm / 5k rpd / burst 1.5, pro 50 / 1 000 / 1M / 50k / 1.5,
/// enterprise 100 / 3 000 / 2M / 100k / 2.0). Tenants without an explicit assignment get `defaultTier`.
enum TierCatalog {
    static let defaultTier = "starter"

    static let limits: [(tier: String, limits: JSONValue)] = [
        ("starter", ["rps": 10, "rpm": 100, "tpm": 100_000, "rpd": 5_000, "burstMultiplier": 1.5]),
        ("pro", ["rps": 50, "rpm": 1_000, "tpm": 1_000_000, "rpd": 50_000, "burstMultiplier": 1.5]),
        ("enterprise", ["rps": 100, "rpm": 3_000, "tpm": 2_000_000, "rpd": 100_000, "burstMultiplier": 2.0]),
    ]

    static func limits(of tier: String) -> JSONValue {
        limits.first { $0.tier == tier }?.limits ?? .null
    }

    /// `RateLimitTiersResponse`.
    static var tiersResponse: JSONValue {
        ["tiers": .array(limits.map { ["name": .string($0.tier), "limits": $0.limits] }), "defaultTier": .string(defaultTier)]
    }

    /// `TenantTierResponse`.
    static func tenantResponse(tenantId: String, explicitTier: String?) -> JSONValue {
        let tier = explicitTier ?? defaultTier
        return ["tenantId": .string(tenantId), "tier": .string(tier), "explicit": .bool(explicitTier != nil), "limits": limits(of: tier)]
    }
}
