import SynapseContract

/// The result of mapping one config: the gateway state it asks for and where every key went.
public struct MappingResult: Sendable {
    public let desired: DesiredState
    public let report: MappingReport
    /// The config files read (main file first).
    public let files: [String]
    /// `environment_variables:` of the config: LiteLLM sets these before resolving `os.environ/` references.
    public let configEnvironment: [String: String]

    public init(_ mapped: MappedConfig, report: MappingReport) {
        desired = mapped.desired
        self.report = report
        files = mapped.files
        configEnvironment = mapped.configEnvironment
    }
}

/// A config mapped to its desired state, with the report on its keys still to be made (`keyReport()`): `plan` makes
/// it on one core while it writes the payloads on the other.
public struct MappedConfig: Sendable {
    public let desired: DesiredState
    public let files: [String]
    public let configEnvironment: [String: String]
    /// The loaded config and the decisions mapping made about some of its keys: all the report needs.
    let loaded: LoadedConfig
    let classifier: KeyClassifier
    let warnings: [MappingWarning]

    /// Puts every key of the config into Mapped, Manual or Skipped.
    public func keyReport() -> MappingReport {
        MappingReport(entries: classifier.classify(loaded), warnings: warnings)
    }
}

/// Reads a config and maps it: the whole of `plan`'s work, with no output written.
///
/// ```swift
/// let result = try MappingPipeline.map(configPath: "config.yaml", source: LocalFileSource())
/// print(result.desired.objects.count, result.report.counts)
/// ```
public enum MappingPipeline {
    public static func map(configPath: String, source: any ConfigFileSource, tenant: String? = nil) throws(ConfigError) -> MappingResult {
        let mapped = try mapDesired(configPath: configPath, source: source, tenant: tenant)
        return MappingResult(mapped, report: mapped.keyReport())
    }

    /// The desired state only; the key report is `keyReport()` of the result.
    public static func mapDesired(configPath: String, source: any ConfigFileSource, tenant: String? = nil) throws(ConfigError) -> MappedConfig {
        let loaded = try ConfigLoader(source: source).load(configPath)
        // The typed config (its deployments) is freed when the builder returns, before the key report, the
        // largest thing built from the YAML tree, is made: only the tree is kept for it.
        var builder = DesiredStateBuilder(config: try LiteLLMConfig(loaded), tenantOverride: tenant)
        return try builder.build()
    }
}

/// LiteLLM config → Synapse `DesiredState`, following the seed script's tables and the OpenAPI contract.
struct DesiredStateBuilder {
    let config: LiteLLMConfig
    let tenantOverride: String?

    private var classifier = KeyClassifier()
    private var warnings: [MappingWarning] = []
    // The merge's tables: one slot per integration (with its provider) and per model, in first-seen order, found
    // by key with one dictionary lookup per deployment.
    private var integrationSlots: [String: Int] = [:]
    private var integrations: [DesiredObject] = []
    private var providers: [DesiredObject] = []
    private var providerLimits: [(rpm: Int, tpm: Int)] = []
    /// Each provider's tags, set on the provider once all deployments are read, with the LiteLLM provider last
    /// tagged (nearly always the only one: it is part of the integration's identity).
    private var providerTags: [(tags: Set<String>, lastProvider: String)] = []
    private var modelSlots: [String: Int] = [:]
    private var models: [DesiredObject] = []
    private var modelGroups: [[String]] = []
    /// For each usable deployment index: (provider slug, model id).
    private var targets: [(provider: String, modelId: String)?]

    init(config: LiteLLMConfig, tenantOverride: String?) {
        self.config = config
        self.tenantOverride = tenantOverride
        self.warnings = config.warnings
        self.targets = Array(repeating: nil, count: config.deployments.count)
    }

    mutating func build() throws(ConfigError) -> MappedConfig {
        // The part of each deployment's mapping that depends on nothing else runs on every core; the rest (one
        // integration, provider and model per key, sums, first-come names) is merged in config order.
        do {
            let deployments = config.deployments
            // In a block of its own so that the drafts are freed before the routing rules and the report are built.
            // Deployments are read through buffer pointers: in interleaved runs on 10,000 deployments this was about
            // 3 ms faster and 0.9 MiB lower than indexing the array, which copies more of them on the way.
            var drafts = ChunkedWork.run(count: deployments.count) { range in
                var names: [String: String] = [:]
                return deployments.withUnsafeBufferPointer { all in
                    range.map { DeploymentDraft(all[$0], integrationNames: &names) }
                }
            }
            try deployments.withUnsafeBufferPointer { all throws(ConfigError) in
                var index = 0
                for chunk in drafts.indices {
                    for position in drafts[chunk].indices {
                        try mapDeployment(all[index], &drafts[chunk][position])
                        index += 1
                    }
                }
            }
        }
        let tenant = tenantOverride ?? config.extensionSettings.tenant
        // The routing rules need only the config and where each deployment went: they are made on another core
        // while this one finishes and sorts the integrations, providers and models and finds their environment
        // references.
        let ((catalog, catalogReferences), routing) = ChunkedWork.alongside({ [config, targets] in
            RoutingRules(config: config, targets: targets)
        }) {
            finishProviders()
            finishModels()
            let catalog = sortedCatalog()
            return (catalog, DesiredState.environmentReferences(in: catalog[...]))
        }
        targets = []
        for (path, decision) in routing.overrides { classifier.overrides[path] = decision }
        warnings += routing.warnings
        // In `DesiredState`'s order (kinds in apply order, each sorted by key), so that it need not sort them.
        let catalogCount = catalog.count
        var objects = consume catalog  // not copied: the catalog's 10,000s of objects would each be retained
        objects += try teams().sorted { $0.key < $1.key }
        objects += virtualKeys().sorted { $0.key < $1.key }
        if let routing = routing.object { objects.append(routing) }
        if let tier = rateLimitTier(tenant: tenant) { objects.append(tier) }
        let desired = DesiredState(
            ordered: objects, tenant: tenant,
            environmentReferences: catalogReferences + DesiredState.environmentReferences(in: objects[catalogCount...]))
        return MappedConfig(
            desired: desired, files: config.loaded.files, configEnvironment: configEnvironment(), loaded: config.loaded,
            classifier: classifier, warnings: warnings)
    }

    /// The integrations, providers and models, each kind sorted by key (the order `DesiredState` keeps). The
    /// merge's tables are emptied on the way: the objects no longer need them, and the config's deployments and
    /// YAML tree are still alive.
    private mutating func sortedCatalog() -> [DesiredObject] {
        var objects: [DesiredObject] = []
        objects.reserveCapacity(integrations.count + providers.count + models.count)
        for table in [integrations, providers, models] {
            // Sorting positions and gathering once moves integers, not whole objects.
            objects += table.indices.sorted { table[$0].key < table[$1].key }.map { table[$0] }
        }
        integrationSlots = [:]
        integrations = []
        providers = []
        providerLimits = []
        providerTags = []
        modelSlots = [:]
        models = []
        modelGroups = []
        return objects
    }

    // MARK: - Deployments → integrations, providers, models

    /// Merges one deployment's draft, throwing its errors in the order mapping it from scratch would meet them.
    /// The objects the draft made are moved out of it, not copied.
    private mutating func mapDeployment(_ d: borrowing Deployment, _ draft: inout DeploymentDraft) throws(ConfigError) {
        guard let providerName = d.provider, let mapping = draft.mapping, let drafted = draft.credential.take() else {
            classifier.overrides[d.path] = (.manual, "LiteLLM cannot tell which provider serves \"\(d.model)\" and drops this deployment; add a provider prefix such as openai/\(d.model) or set custom_llm_provider")
            warnings.append(MappingWarning(
                "\(d.path) (\(d.modelName)): no provider for model \"\(d.model)\"; the deployment is not mapped", at: d.modelLocation,
                hint: "write the model as provider/name (openai/…, azure/…, bedrock/…) or set custom_llm_provider"))
            return
        }
        let (credential, integrationName) = try drafted.get()
        // One provider per integration, made with it; its rate limits sum the deployments that use it.
        let slot: Int
        if let found = integrationSlots[integrationName] {
            slot = found
            integrations[slot].sources.append(d.location)
            providers[slot].sources.append(d.location)
        } else {
            slot = integrations.count
            integrationSlots[integrationName] = slot
            integrations.append(credential.integration(mapping: mapping, name: integrationName))
            if case .literal = credential.secret {
                warnings.append(MappingWarning(
                    "\(d.path).litellm_params: the provider key is written in the config (it stays out of every file this tool writes)",
                    at: d.location, hint: "store it in an environment variable and write os.environ/NAME instead"))
            }
            providers.append(DesiredObject(
                kind: .provider, key: integrationName,
                fields: [
                    "slug": .string(integrationName), "name": .string(integrationName),
                    "providerType": .string(mapping.synapseType),
                    "description": .string(Ownership.markedDescription("LiteLLM provider \(providerName)")),
                ],
                links: ["integrationId": ObjectRef(kind: .integration, key: integrationName)], sources: [d.location]))
            providerLimits.append((0, 0))
            providerTags.append(([], ""))
        }
        if !mapping.inSeedTable {
            classifier.overrides[d.path + ".litellm_params.model"] = (
                .manual,
                "provider \"\(providerName)\" has no Synapse provider type: mapped as CUSTOM (OpenAI-compatible); check that Synapse can reach it that way"
            )
        }

        providerLimits[slot].rpm = DesiredStateBuilder.saturatingSum(providerLimits[slot].rpm, d.rpm ?? 0)
        providerLimits[slot].tpm = DesiredStateBuilder.saturatingSum(providerLimits[slot].tpm, d.tpm ?? 0)
        if providerTags[slot].lastProvider != providerName {
            providerTags[slot].tags.insert("litellm-provider:\(providerName)")
            providerTags[slot].lastProvider = providerName
        }
        if let tags = draft.tags {
            providerTags[slot].tags.formUnion(try tags.get())
        }
        // Most configs set no provider budgets: then no key is hashed for each deployment.
        let budgets = config.router.providerBudgets
        if let budget = try draft.budget.get() ?? (budgets.isEmpty ? nil : budgets[providerName]) {
            providers[slot].fields["budget"] = budgetJSON(budget)
        }

        if d.isWildcard {
            classifier.overrides[d.path + ".model_name"] = (
                .manual,
                "wildcard route \"\(d.modelName)\" → \"\(d.model)\": Synapse has no wildcard models; register each model clients use under provider \(integrationName) (the integration and provider are created)"
            )
            return
        }

        // One model per key, defined by its first deployment (a deployment that is not a wildcard has a draft of it).
        if let modelSlot = modelSlots[draft.modelKey] {
            models[modelSlot].sources.append(d.location)
            if !modelGroups[modelSlot].contains(d.modelName) { modelGroups[modelSlot].append(d.modelName) }
        } else if let drafted = draft.model.take() {
            // Only the first deployment of a model defines it (and only its errors count).
            let (model, overrides) = try drafted.get()
            for (path, decision) in overrides { classifier.overrides[path] = decision }
            modelSlots[draft.modelKey] = models.count
            models.append(model)
            modelGroups.append([d.modelName])
        }
        targets[d.index] = (integrationName, d.underlyingModel)
    }

    /// Limits are summed over deployments: a sum past `Int.max` stays at `Int.max` instead of trapping.
    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    fileprivate static func deploymentBudget(_ d: Deployment) throws(ConfigError) -> Budget? {
        guard let node = d.param("max_budget"), let amount = try FieldReader.amount(node, "\(d.path).litellm_params.max_budget") else { return nil }
        let duration = try d.param("budget_duration").map { n throws(ConfigError) in try FieldReader.string(n, "\(d.path).litellm_params.budget_duration") }
        return Budget(amountUSD: amount, duration: duration, location: node.location)
    }

    private func budgetJSON(_ budget: Budget) -> JSONValue {
        var fields: JSONObject = ["limitCents": .int(budget.cents)]
        if let period = budget.contractPeriod ?? budget.duration { fields["period"] = .string(period) }
        return .object(fields)
    }

    /// The model a deployment defines, with the report decisions it makes (a mode Synapse has no type for).
    fileprivate static func model(_ d: Deployment, key: String, providerType: String) throws(ConfigError) -> (DesiredObject, [(String, (MappingReport.Category, String))]) {
        // The messages' path, taken once: an autoclosure naming `d.path` would copy the whole deployment.
        let path = d.path
        var overrides: [(String, (MappingReport.Category, String))] = []
        var fields: JSONObject = [
            "modelId": .string(d.underlyingModel), "displayName": .string(d.underlyingModel),
            "providerType": .string(providerType),
        ]
        if let modeNode = d.info["mode"] {
            let mode = try FieldReader.string(modeNode, "\(path).model_info.mode")
            if let type = ModelCapabilities.modelType(mode: mode) {
                fields["modelType"] = .string(type)
            } else {
                overrides.append((path + ".model_info.mode", (.manual, "mode \"\(mode)\" has no Synapse modelType (CHAT, EMBEDDING, IMAGE, AUDIO, COMPLETION): the model is registered as CHAT; check it")))
            }
        }
        var capabilities: JSONObject = [:]
        for (flag, capability) in ModelCapabilities.flags {
            if let node = d.info[flag], let value = try FieldReader.bool(node, "\(path).model_info.\(flag)") {
                capabilities[capability] = .bool(value)
            }
        }
        if !capabilities.isEmpty { fields["capabilities"] = .object(capabilities) }
        var pricing: JSONObject = [:]
        for (source, target, factor) in ModelCapabilities.prices {
            // A cost override in litellm_params wins over model_info, as in LiteLLM's cost calculation.
            guard let node = d.param(source) ?? d.info[source], let value = try FieldReader.number(node, "\(path).\(source)") else { continue }
            guard (value * factor).isFinite else {
                throw ConfigError("\(path).\(source) is too large (\(node.scalarText))", at: node.location, hint: "write the price in USD per token, for example 0.000003")
            }
            pricing[target] = .double(ModelCapabilities.tidy(value * factor))
        }
        if !pricing.isEmpty {
            pricing["currency"] = "USD"
            fields["pricing"] = .object(pricing)
        }
        var limits: JSONObject = [:]
        for (source, target) in ModelCapabilities.limits {
            if let node = d.info[source], let value = try FieldReader.integer(node, "\(path).model_info.\(source)") {
                limits[target] = .int(value)
            }
        }
        if !limits.isEmpty { fields["limits"] = .object(limits) }
        if let base = d.info["base_model"] {
            fields["family"] = .string(try FieldReader.string(base, "\(path).model_info.base_model"))
        }
        return (DesiredObject(kind: .model, key: key, fields: fields, sources: [d.location]), overrides)
    }

    private mutating func finishProviders() {
        for slot in providers.indices {
            providers[slot].fields["tags"] = .array(providerTags[slot].tags.sorted().map(JSONValue.string))
            let limits = providerLimits[slot]
            var rateLimits: JSONObject = [:]
            if limits.rpm > 0 { rateLimits["rpm"] = .int(limits.rpm) }
            if limits.tpm > 0 { rateLimits["tpm"] = .int(limits.tpm) }
            if !rateLimits.isEmpty { providers[slot].fields["rateLimits"] = .object(rateLimits) }
        }
    }

    private mutating func finishModels() {
        for slot in models.indices {
            let groups = modelGroups[slot]
            models[slot].fields["description"] = .string(
                Ownership.markedDescription("LiteLLM model group\(groups.count > 1 ? "s" : "") \(groups.joined(separator: ", "))"))
        }
    }

    // MARK: - Tenant tier, teams, keys

    /// Contract tier limits (from `GET /api/v1/rate-limits/tiers`' documented example), smallest first.
    static let tierLimits: [(tier: String, rpm: Int, tpm: Int)] = [
        ("starter", 100, 100_000), ("pro", 1_000, 1_000_000), ("enterprise", 3_000, 2_000_000),
    ]

    private mutating func rateLimitTier(tenant: String) -> DesiredObject? {
        let ext = config.extensionSettings
        if let tier = ext.rateLimitTier {
            return DesiredObject(kind: .rateLimitTier, key: tenant, fields: ["tier": .string(tier)], sources: ext.location.map { [$0] } ?? [])
        }
        var rpm = 0, tpm = 0
        let deployments = config.deployments
        for i in deployments.indices {  // by position: a deployment is not copied to read two numbers
            rpm = DesiredStateBuilder.saturatingSum(rpm, deployments[i].rpm ?? 0)
            tpm = DesiredStateBuilder.saturatingSum(tpm, deployments[i].tpm ?? 0)
        }
        guard rpm > 0 || tpm > 0 else { return nil }  // nothing to size a tier by: leave the tenant's tier alone
        let covering = DesiredStateBuilder.tierLimits.first { $0.rpm >= rpm && $0.tpm >= tpm }
        if covering == nil {
            warnings.append(MappingWarning(
                "the config's summed limits (rpm \(rpm), tpm \(tpm)) exceed the largest Synapse tier (enterprise: rpm 3000, tpm 2000000)",
                at: config.loaded.location, hint: "tenant \(tenant) is set to enterprise; ask the Synapse operator for higher limits"))
        }
        return DesiredObject(kind: .rateLimitTier, key: tenant, fields: ["tier": .string(covering?.tier ?? "enterprise")])
    }

    private func teams() throws(ConfigError) -> [DesiredObject] {
        // A parent chain that comes back to a team can never be created (each needs the other's id first).
        let parents = Dictionary(config.teams.map { ($0.name, $0.parent) }, uniquingKeysWith: { a, _ in a })
        for team in config.teams {
            var seen: [String] = [team.name]
            var current = team.parent
            while let name = current, parents[name] != nil {
                if seen.contains(name) {
                    throw ConfigError(
                        "\(team.path).parent makes a cycle: \((seen + [name]).joined(separator: " → "))", at: team.location,
                        hint: "a team cannot be its own ancestor: remove one of these parent settings")
                }
                seen.append(name)
                current = parents[name] ?? nil
            }
        }
        var objects: [DesiredObject] = []
        for team in config.teams {
            var fields: JSONObject = [
                "name": .string(team.name),
                "description": .string(Ownership.markedDescription(team.description ?? "LiteLLM team \(team.name)")),
            ]
            if let budget = team.budget {
                fields["maxBudgetCents"] = .int(budget.cents)
                if let period = budget.contractPeriod { fields["budgetPeriod"] = .string(period) }
            }
            var links: [String: ObjectRef] = [:]
            if let parent = team.parent {
                if parent == team.name {
                    throw ConfigError("\(team.path).parent names the team itself", at: team.location, hint: "a team cannot be its own parent")
                }
                links["parentTeamId"] = ObjectRef(kind: .team, key: parent)
            }
            objects.append(DesiredObject(kind: .team, key: team.name, fields: fields, links: links, sources: [team.location]))
        }
        return objects
    }

    private mutating func virtualKeys() -> [DesiredObject] {
        guard !config.virtualKeys.isEmpty else { return [] }
        let servedNames = Set(config.deployments.map(\.modelName)).union(config.router.aliases.map(\.alias))
        return config.virtualKeys.map { key in
            var fields: JSONObject = [
                "name": .string(key.name),
                "description": .string(Ownership.markedDescription(key.description ?? "virtual key \(key.name)")),
            ]
            if !key.models.isEmpty { fields["allowedModels"] = .array(key.models.map(JSONValue.string)) }
            if !key.allowedIPs.isEmpty { fields["allowedIps"] = .array(key.allowedIPs.map(JSONValue.string)) }
            if let v = key.rpmLimit { fields["rateLimitRpm"] = .int(v) }
            if let v = key.tpmLimit { fields["rateLimitTpm"] = .int(v) }
            if let v = key.rpdLimit { fields["rateLimitRpd"] = .int(v) }
            if let v = key.expires { fields["expiresAt"] = .string(v) }
            for model in key.models where !servedNames.contains(model) {
                warnings.append(MappingWarning(
                    "\(key.path): model \"\(model)\" is not a model_name or alias of this config", at: key.location,
                    hint: "check the name; the key can only be used with models the gateway serves"))
            }
            return DesiredObject(kind: .virtualKey, key: key.name, fields: fields, sources: [key.location])
        }
    }

    private func configEnvironment() -> [String: String] {
        guard let pair = config.loaded["environment_variables"], case .mapping(let pairs) = pair.value.value else { return [:] }
        var environment: [String: String] = [:]
        for p in pairs where p.value.value != .null { environment[p.key.scalarText] = p.value.scalarText }
        return environment
    }
}


/// The part of mapping one deployment that needs nothing but the deployment: computed
/// for all deployments at once, on every core. Errors are kept, not thrown, so that the merge throws the one a
/// single pass would meet first.
private struct DeploymentDraft: Sendable {
    /// Nil when LiteLLM cannot tell the provider (the deployment is not mapped).
    let mapping: ProviderMapping?
    /// The integration identity and name (nil without a provider).
    /// Taken by the merge.
    var credential: Result<(CredentialIdentity, String), ConfigError>?
    let tags: Result<[String], ConfigError>?
    let budget: Result<Budget?, ConfigError>
    /// Nil for a wildcard route or an unknown provider (no model). Taken by the merge.
    var model: Result<(DesiredObject, [(String, (MappingReport.Category, String))]), ConfigError>?
    /// The model's key: one model per (underlying model, provider type). Empty without a provider.
    let modelKey: String

    init(_ d: borrowing Deployment, integrationNames: inout [String: String]) {
        guard let provider = d.provider else {
            mapping = nil
            credential = nil
            tags = nil
            budget = .success(nil)
            model = nil
            modelKey = ""
            return
        }
        let mapping = ProviderCatalog.mapping(for: provider)
        self.mapping = mapping
        do throws(ConfigError) {
            let identity = try CredentialIdentity(d, provider: provider)
            credential = .success((identity, identity.integrationName(cache: &integrationNames)))
        } catch {
            credential = .failure(error)
        }
        tags = d.param("tags").map { node in
            Result { () throws(ConfigError) in try FieldReader.stringList(node, "\(d.path).litellm_params.tags") }
        }
        budget = Result { () throws(ConfigError) in try DesiredStateBuilder.deploymentBudget(d) }
        let modelKey = d.underlyingModel + "|" + mapping.synapseType
        self.modelKey = modelKey
        model = d.isWildcard ? nil : Result { () throws(ConfigError) in try DesiredStateBuilder.model(d, key: modelKey, providerType: mapping.synapseType) }
    }
}
