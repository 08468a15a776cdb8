/// `router_settings` (with the `litellm_settings` values LiteLLM also accepts there; `router_settings` wins).
public struct RouterSettings: Sendable {
    /// LiteLLM's routing strategies; any other value stops the LiteLLM proxy at start-up.
    public static let strategies: [String] = [
        "simple-shuffle", "least-busy", "usage-based-routing", "usage-based-routing-v2", "latency-based-routing",
        "cost-based-routing", "lar1", "provider-budget-routing",
    ]

    public let routingStrategy: String
    public let routingStrategyLocation: SourceLocation?
    /// `alias → group`, from `model_group_alias`.
    public let aliases: [ModelGroupAlias]
    /// `fallbacks`, `context_window_fallbacks`, `content_policy_fallbacks`: group → targets.
    public let fallbacks: [FallbackRule]
    /// `provider_budget_config`: LiteLLM provider → budget.
    public let providerBudgets: [String: Budget]

    init(router: [YAMLPair], litellm: [YAMLPair]) throws(ConfigError) {
        func value(_ key: String) -> YAMLNode? {
            router.last(where: { $0.key.scalarText == key })?.value ?? litellm.last(where: { $0.key.scalarText == key })?.value
        }
        if let node = value("routing_strategy"), node.value != .null {
            let strategy = try FieldReader.string(node, "router_settings.routing_strategy")
            guard RouterSettings.strategies.contains(strategy) else {
                throw ConfigError(
                    "unknown routing_strategy \"\(strategy)\"; the LiteLLM proxy refuses to start with it", at: node.location,
                    hint: "use one of: \(RouterSettings.strategies.joined(separator: ", "))")
            }
            routingStrategy = strategy
            routingStrategyLocation = node.location
        } else {
            routingStrategy = "simple-shuffle"
            routingStrategyLocation = nil
        }

        var aliases: [ModelGroupAlias] = []
        if let node = value("model_group_alias") {
            for pair in try FieldReader.mapping(node, "router_settings.model_group_alias") {
                let alias = pair.key.scalarText
                switch pair.value.value {
                case .mapping:
                    guard let target = pair.value["model"] else {
                        throw ConfigError("model_group_alias \"\(alias)\" has no model", at: pair.value.location, hint: "write \(alias): {model: <group>, hidden: true}")
                    }
                    let hidden = try pair.value["hidden"].flatMap { n throws(ConfigError) in try FieldReader.bool(n, "model_group_alias.\(alias).hidden") } ?? false
                    aliases.append(ModelGroupAlias(alias: alias, group: try FieldReader.string(target, "model_group_alias.\(alias).model"), hidden: hidden, location: pair.key.location))
                default:
                    aliases.append(ModelGroupAlias(alias: alias, group: try FieldReader.string(pair.value, "model_group_alias.\(alias)"), hidden: false, location: pair.key.location))
                }
            }
        }
        self.aliases = aliases

        var fallbacks: [FallbackRule] = []
        for kind in ["fallbacks", "context_window_fallbacks", "content_policy_fallbacks"] {
            guard let node = value(kind), node.value != .null else { continue }
            for item in try FieldReader.list(node, kind) {
                guard case .mapping(let pairs) = item.value else {
                    throw ConfigError(
                        "\(kind) must be a list of one-key mappings like - gpt-4o: [gpt-4o-mini], found a \(item.kindName) \(item.scalarText.isEmpty ? "" : "\"\(item.scalarText)\"")",
                        at: item.location, hint: "write \(kind): [{\"<group>\": [\"<fallback group>\"]}]; a plain list of names is not valid in LiteLLM")
                }
                for pair in pairs {
                    let targets = try FieldReader.stringList(pair.value, "\(kind).\(pair.key.scalarText)")
                    fallbacks.append(FallbackRule(kind: kind, group: pair.key.scalarText, targets: targets, location: pair.key.location))
                }
            }
        }
        if let node = value("default_fallbacks"), node.value != .null {
            fallbacks.append(FallbackRule(kind: "default_fallbacks", group: "*", targets: try FieldReader.stringList(node, "default_fallbacks"), location: node.location))
        }
        self.fallbacks = fallbacks

        var budgets: [String: Budget] = [:]
        if let node = value("provider_budget_config") {
            for pair in try FieldReader.mapping(node, "router_settings.provider_budget_config") {
                let what = "provider_budget_config.\(pair.key.scalarText)"
                guard let limit = try pair.value["budget_limit"].flatMap({ n throws(ConfigError) in try FieldReader.amount(n, "\(what).budget_limit") }) else { continue }
                let period = try pair.value["time_period"].map { n throws(ConfigError) in try FieldReader.string(n, "\(what).time_period") }
                budgets[pair.key.scalarText] = Budget(amountUSD: limit, duration: period, location: pair.key.location)
            }
        }
        providerBudgets = budgets
    }
}

public struct ModelGroupAlias: Sendable, Hashable {
    public let alias: String
    public let group: String
    public let hidden: Bool
    public let location: SourceLocation
}

public struct FallbackRule: Sendable, Hashable {
    public let kind: String
    public let group: String
    public let targets: [String]
    public let location: SourceLocation
}

/// A spending limit: an amount in USD over a LiteLLM duration (`30d`, `1mo`, `daily`…), or for the whole life.
public struct Budget: Sendable, Hashable {
    public let amountUSD: Double
    public let duration: String?
    public let location: SourceLocation?

    /// The contract's team `budgetPeriod` (daily/weekly/monthly) closest to a LiteLLM duration, if any.
    public var contractPeriod: String? {
        guard let d = duration?.lowercased().trimmingSpaces, !d.isEmpty else { return nil }
        switch d {
        case "daily", "1d", "24h", "day": return "daily"
        case "weekly", "7d", "1w", "week": return "weekly"
        case "monthly", "30d", "1mo", "month", "31d": return "monthly"
        default: return nil
        }
    }

    public var cents: Int { Int((amountUSD * 100).rounded()) }
}
