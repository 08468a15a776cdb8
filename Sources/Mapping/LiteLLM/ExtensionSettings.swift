import SynapseContract

/// The `litellm_synapse:` top-level section: what a LiteLLM config cannot say but the gateway needs.
///
/// LiteLLM ignores unknown top-level keys, so the same file keeps working for a LiteLLM proxy during a parallel
/// run. Unlike LiteLLM's own sections, this one is checked strictly: a misspelt key is an error, not a silent no-op.
///
/// ```yaml
/// litellm_synapse:
///   tenant: acme-corp            # whose rate-limit tier to set (default: "default")
///   rate_limit_tier: pro         # optional; otherwise the smallest tier covering the summed rpm/tpm
///   routing_strategy: balanced   # optional; otherwise mapped from router_settings.routing_strategy
///   teams:
///     - name: search
///       description: Search squad
///       max_budget: 250          # USD
///       budget_duration: monthly # daily | weekly | monthly (LiteLLM's 1d / 7d / 30d also accepted)
///       parent: platform         # another team's name
///   virtual_keys:
///     - name: search-prod
///       models: [gpt-4o, claude-sonnet]
///       rpm_limit: 600
///       tpm_limit: 200000
///       rpd_limit: 100000
///       allowed_ips: [10.0.0.0/8]
///       expires: "2027-01-01T00:00:00Z"
/// ```
public struct ExtensionSettings: Sendable {
    public static let sectionName = "litellm_synapse"
    public static let defaultTenant = "default"
    public static let tiers = ["starter", "pro", "enterprise"]
    public static let synapseStrategies = ["cost_optimized", "quality_first", "balanced", "latency_sensitive"]

    public var tenant: String = ExtensionSettings.defaultTenant
    public var rateLimitTier: String?
    public var routingStrategy: String?
    public var teams: [TeamSpec] = []
    public var virtualKeys: [VirtualKeySpec] = []
    public var location: SourceLocation?

    init() {}

    init(_ node: YAMLNode) throws(ConfigError) {
        let section = ExtensionSettings.sectionName
        location = node.location
        for pair in try FieldReader.mapping(node, section) {
            let key = pair.key.scalarText
            let what = "\(section).\(key)"
            switch key {
            case "tenant":
                tenant = try FieldReader.string(pair.value, what)
                if tenant.isEmpty { throw ConfigError("\(what) is empty", at: pair.value.location, hint: "name the Synapse tenant, for example tenant: acme-corp") }
            case "rate_limit_tier":
                let tier = try FieldReader.string(pair.value, what)
                guard ExtensionSettings.tiers.contains(tier) else {
                    throw ConfigError("\(what) \"\(tier)\" is not a Synapse tier", at: pair.value.location, hint: "use one of: \(ExtensionSettings.tiers.joined(separator: ", "))")
                }
                rateLimitTier = tier
            case "routing_strategy":
                let strategy = try FieldReader.string(pair.value, what)
                guard ExtensionSettings.synapseStrategies.contains(strategy) else {
                    throw ConfigError("\(what) \"\(strategy)\" is not a Synapse routing strategy", at: pair.value.location, hint: "use one of: \(ExtensionSettings.synapseStrategies.joined(separator: ", "))")
                }
                routingStrategy = strategy
            case "teams":
                for (i, item) in try FieldReader.list(pair.value, what).enumerated() {
                    let team = try TeamSpec(extension: item, path: "\(what)[\(i)]")
                    if teams.contains(where: { $0.name == team.name }) {
                        throw ConfigError("\(what)[\(i)] repeats the team name \"\(team.name)\"", at: item.location, hint: "team names identify teams: make them unique")
                    }
                    teams.append(team)
                }
            case "virtual_keys":
                for (i, item) in try FieldReader.list(pair.value, what).enumerated() {
                    let key = try VirtualKeySpec(item, path: "\(what)[\(i)]")
                    if virtualKeys.contains(where: { $0.name == key.name }) {
                        throw ConfigError("\(what)[\(i)] repeats the key name \"\(key.name)\"", at: item.location, hint: "key names identify keys: make them unique")
                    }
                    virtualKeys.append(key)
                }
            default:
                throw ConfigError(
                    "unknown key \"\(key)\" in \(section)", at: pair.key.location,
                    hint: "known keys: tenant, rate_limit_tier, routing_strategy, teams, virtual_keys (see the README section on litellm_synapse)")
            }
        }
    }
}

/// A team to create, from `litellm_synapse.teams` or `litellm_settings.default_team_settings`.
public struct TeamSpec: Sendable, Hashable {
    public let name: String
    public let description: String?
    public let budget: Budget?
    public let parent: String?
    public let path: String
    public let location: SourceLocation

    init(extension node: YAMLNode, path: String) throws(ConfigError) {
        var name: String?
        var description: String?
        var amount: Double?
        var duration: String?
        var parent: String?
        for pair in try FieldReader.mapping(node, path) {
            let what = "\(path).\(pair.key.scalarText)"
            switch pair.key.scalarText {
            case "name": name = try FieldReader.string(pair.value, what)
            case "description": description = try FieldReader.string(pair.value, what)
            case "max_budget": amount = try FieldReader.amount(pair.value, what)
            case "budget_duration": duration = try FieldReader.string(pair.value, what)
            case "parent": parent = try FieldReader.string(pair.value, what)
            default:
                throw ConfigError("unknown key \"\(pair.key.scalarText)\" in \(path)", at: pair.key.location, hint: "known keys: name, description, max_budget, budget_duration, parent")
            }
        }
        guard let name, !name.isEmpty else { throw ConfigError("\(path) has no name", at: node.location, hint: "add name: <team name>") }
        guard name.count <= 128 else { throw ConfigError("\(path).name is longer than 128 characters", at: node.location, hint: "Synapse team names are at most 128 characters") }
        self.name = name
        self.description = description
        self.parent = parent
        self.path = path
        self.location = node.location
        self.budget = try TeamSpec.budget(amount: amount, duration: duration, at: node.location, path: path)
    }

    init(defaultTeamSettings node: YAMLNode, path: String) throws(ConfigError) {
        guard let idNode = node["team_id"] else {
            throw ConfigError("\(path) has no team_id", at: node.location, hint: "LiteLLM needs team_id on every default_team_settings entry")
        }
        name = try FieldReader.string(idNode, "\(path).team_id")
        description = nil
        parent = nil
        self.path = path
        location = node.location
        let amount = try node["max_budget"].flatMap { n throws(ConfigError) in try FieldReader.amount(n, "\(path).max_budget") }
        let duration = try node["budget_duration"].map { n throws(ConfigError) in try FieldReader.string(n, "\(path).budget_duration") }
        budget = try TeamSpec.budget(amount: amount, duration: duration, at: node.location, path: path)
    }

    private static func budget(amount: Double?, duration: String?, at location: SourceLocation, path: String) throws(ConfigError) -> Budget? {
        guard let amount else { return nil }
        if amount < 0 { throw ConfigError("\(path).max_budget is negative", at: location, hint: "use a positive amount in USD") }
        let budget = Budget(amountUSD: amount, duration: duration, location: location)
        if duration != nil, budget.contractPeriod == nil {
            throw ConfigError(
                "\(path).budget_duration \"\(duration!)\" has no Synapse equivalent", at: location,
                hint: "Synapse team budgets reset daily, weekly or monthly: use daily, weekly or monthly (or 1d, 7d, 30d)")
        }
        return budget
    }
}

/// A virtual key to create, from `litellm_synapse.virtual_keys`.
public struct VirtualKeySpec: Sendable, Hashable {
    public let name: String
    public let description: String?
    public let models: [String]
    public let rpmLimit: Int?
    public let tpmLimit: Int?
    public let rpdLimit: Int?
    public let allowedIPs: [String]
    public let expires: String?
    public let path: String
    public let location: SourceLocation

    init(_ node: YAMLNode, path: String) throws(ConfigError) {
        var name: String?
        var description: String?
        var models: [String] = []
        var rpm: Int?, tpm: Int?, rpd: Int?
        var ips: [String] = []
        var expires: String?
        for pair in try FieldReader.mapping(node, path) {
            let what = "\(path).\(pair.key.scalarText)"
            switch pair.key.scalarText {
            case "name": name = try FieldReader.string(pair.value, what)
            case "description": description = try FieldReader.string(pair.value, what)
            case "models": models = try FieldReader.stringList(pair.value, what)
            case "rpm_limit": rpm = try FieldReader.integer(pair.value, what)
            case "tpm_limit": tpm = try FieldReader.integer(pair.value, what)
            case "rpd_limit": rpd = try FieldReader.integer(pair.value, what)
            case "allowed_ips": ips = try FieldReader.stringList(pair.value, what)
            case "expires":
                let text = try FieldReader.string(pair.value, what)
                guard ContractSchemas.isDateTime(text) else {
                    throw ConfigError("\(what) \"\(text)\" is not a date-time", at: pair.value.location, hint: "write an RFC 3339 time in quotes, for example \"2027-01-01T00:00:00Z\"")
                }
                expires = text
            default:
                throw ConfigError(
                    "unknown key \"\(pair.key.scalarText)\" in \(path)", at: pair.key.location,
                    hint: "known keys: name, description, models, rpm_limit, tpm_limit, rpd_limit, allowed_ips, expires")
            }
        }
        guard let name, !name.isEmpty else { throw ConfigError("\(path) has no name", at: node.location, hint: "add name: <key name>") }
        self.name = name
        self.description = description
        self.models = models
        rpmLimit = rpm
        tpmLimit = tpm
        rpdLimit = rpd
        allowedIPs = ips
        self.expires = expires
        self.path = path
        location = node.location
    }
}
