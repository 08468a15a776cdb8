/// The kinds of gateway object the controller manages, with everything the wire contract says about each:
/// paths, list envelopes, schema names, natural keys and server-owned fields.
///
/// Every Synapse field and path name the controller relies on lives in this folder, so that a new contract
/// version is one edit (`../shared/reference/synapse-gateway.openapi.yaml`, "Synapse Gateway API" 0.2.0).
public enum ResourceKind: String, CaseIterable, Sendable, Hashable, Comparable, Codable {
    case integration
    case provider
    case model
    case team
    case virtualKey = "virtual_key"
    case routingConfig = "routing_config"
    case rateLimitTier = "rate_limit_tier"

    /// Creates and updates run in this order (parents first); deletes run in reverse.
    public static let applyOrder: [ResourceKind] = [
        .integration, .provider, .model, .team, .virtualKey, .routingConfig, .rateLimitTier,
    ]

    public static func < (a: ResourceKind, b: ResourceKind) -> Bool {
        applyOrder.firstIndex(of: a)! < applyOrder.firstIndex(of: b)!
    }

    /// Collection path (list and create) for listed kinds, or the singleton's path.
    public var collectionPath: String {
        switch self {
        case .integration: return "/api/v1/model-catalog/integrations"
        case .provider: return "/api/v1/model-catalog/providers"
        case .model: return "/api/v1/model-catalog/models"
        case .team: return "/api/v1/teams"
        case .virtualKey: return "/api/v1/virtual-keys"
        case .routingConfig: return "/api/v1/routing/config"
        case .rateLimitTier: return "/api/v1/rate-limits"
        }
    }

    /// Path of one object: `{collection}/{id}`; for the tier, the id is the tenant id.
    public func itemPath(id: String) -> String {
        switch self {
        case .routingConfig: return collectionPath
        default: return collectionPath + "/" + PathEscaping.escapeSegment(id)
        }
    }

    /// The array field holding the items of a list response (`IntegrationListResponse.integrations`, …).
    public var listItemsField: String {
        switch self {
        case .integration: return "integrations"
        case .provider: return "providers"
        case .model: return "models"
        case .team: return "teams"
        case .virtualKey: return "keys"
        case .routingConfig: return ""
        case .rateLimitTier: return "assignments"
        }
    }

    /// Lists that follow `page`/`pageSize`/`totalPages`. The routing config is a singleton and the tier list is one page.
    public var isPaged: Bool {
        switch self {
        case .integration, .provider, .model, .team, .virtualKey: return true
        case .routingConfig, .rateLimitTier: return false
        }
    }

    public var isSingleton: Bool { self == .routingConfig }

    /// Whether an object is created with POST on the collection (else PUT on the item path).
    public var createsWithPost: Bool {
        switch self {
        case .routingConfig, .rateLimitTier: return false
        default: return true
        }
    }

    public var createSchema: String {
        switch self {
        case .integration: return "CreateIntegrationRequest"
        case .provider: return "CreateProviderRequest"
        case .model: return "CreateModelRequest"
        case .team: return "CreateTeamRequest"
        case .virtualKey: return "CreateVirtualKeyRequest"
        case .routingConfig: return "RoutingConfigRequest"
        case .rateLimitTier: return "SetTenantTierRequest"
        }
    }

    public var updateSchema: String {
        switch self {
        case .integration: return "UpdateIntegrationRequest"
        case .provider: return "UpdateProviderRequest"
        case .model: return "UpdateModelRequest"
        case .team: return "UpdateTeamRequest"
        case .virtualKey: return "UpdateVirtualKeyRequest"
        case .routingConfig: return "RoutingConfigRequest"
        case .rateLimitTier: return "SetTenantTierRequest"
        }
    }

    /// Fields that identify an object across runs. A model is one per (modelId, providerType).
    public var naturalKeyFields: [String] {
        switch self {
        case .integration, .team, .virtualKey: return ["name"]
        case .provider: return ["slug"]
        case .model: return ["modelId", "providerType"]
        case .routingConfig: return []
        case .rateLimitTier: return ["tenantId"]
        }
    }

    /// The natural key of an object as the gateway returns it, or nil if a key field is missing.
    public func naturalKey(of object: JSONObject) -> String? {
        if self == .routingConfig { return "routing" }
        var parts: [String] = []
        for field in naturalKeyFields {
            guard let value = object[field]?.stringValue else { return nil }
            parts.append(value)
        }
        return parts.joined(separator: "|")
    }

    /// Server-owned fields in read responses: never compared, never sent.
    public var serverOwnedFields: Set<String> {
        let common: Set<String> = ["id", "createdAt", "updatedAt", "createdBy"]
        switch self {
        case .integration: return common.union(["keyHint", "verified", "verifiedAt"])
        case .provider: return common.union(["status", "enabled", "currentMonthCostCents", "currentMonthTokens", "lastHealthCheck", "lastError"])
        case .model: return common.union(["isCustom"])
        case .team: return common.union(["workspaceId", "currentSpendCents", "budgetPeriodStart"])
        case .virtualKey: return common.union(["keyPrefix", "status", "lastUsedAt", "totalRequests", "totalTokens", "revokedAt"])
        case .routingConfig: return ["createdAt", "updatedAt"]
        case .rateLimitTier: return ["tenantId", "explicit", "limits"]
        }
    }

    /// Write-only fields: sent on create/update, never returned by reads.
    public var writeOnlyFields: Set<String> {
        self == .integration ? ["apiKey"] : []
    }

    /// The name of the plan's payload file for this kind (the seed script's names).
    public var payloadFileName: String {
        switch self {
        case .integration: return "integrations.json"
        case .provider: return "providers.json"
        case .model: return "models.json"
        case .team: return "teams.json"
        case .virtualKey: return "virtual_keys.json"
        case .routingConfig: return "routing_config.json"
        case .rateLimitTier: return "rate_limits.json"
        }
    }

    /// Words for people: "integration", "virtual key", …
    public var displayName: String {
        switch self {
        case .virtualKey: return "virtual key"
        case .routingConfig: return "routing config"
        case .rateLimitTier: return "rate-limit tier"
        default: return rawValue
        }
    }
}

/// Percent-encoding of one path segment (ids and tenant names are user data).
public enum PathEscaping {
    public static func escapeSegment(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
