import SynapseContract

/// The routing config a config asks for: one rule per traffic share of each model group and per alias, with the
/// report decisions (failover deployments) and warnings (aliases to nothing) it makes.
///
/// It needs only the config and where each deployment was mapped, so it is made on one core while the other
/// finishes the integrations, providers and models.
struct RoutingRules: Sendable {
    /// Nil when the config has no deployments and says nothing about routing.
    let object: DesiredObject?
    let overrides: [(path: String, decision: (MappingReport.Category, String))]
    let warnings: [MappingWarning]

    /// The seed script's strategy table, extended to LiteLLM's other strategies.
    static func synapseStrategy(for litellm: String) -> String {
        switch litellm {
        case "latency-based-routing", "lar1": return "latency_sensitive"
        case "usage-based-routing", "usage-based-routing-v2", "least-busy": return "balanced"
        default: return "cost_optimized"  // simple-shuffle, cost-based-routing, provider-budget-routing
        }
    }

    /// - Parameter targets: for each deployment, the provider and model it was mapped to (nil: not mapped).
    init(config: LiteLLMConfig, targets: [(provider: String, modelId: String)?]) {
        let explicitStrategy = config.extensionSettings.routingStrategy
        guard !config.deployments.isEmpty || explicitStrategy != nil || config.router.routingStrategyLocation != nil else {
            object = nil
            overrides = []
            warnings = []
            return
        }
        var overrides: [(path: String, decision: (MappingReport.Category, String))] = []
        var warnings: [MappingWarning] = []
        let deployments = config.deployments
        // Model groups (mapped deployments by model_name) in order of first appearance, their members in config
        // order, gathered into one flat list: no array per group.
        var groupSlots: [String: Int] = [:]
        var groupNames: [String] = []
        var groupOf = [Int](repeating: -1, count: deployments.count)
        var groupStarts: [Int] = []
        for i in deployments.indices where targets[i] != nil {
            let name = deployments[i].modelName
            let group: Int
            if let found = groupSlots[name] {
                group = found
            } else {
                group = groupNames.count
                groupSlots[name] = group
                groupNames.append(name)
                groupStarts.append(0)
            }
            groupOf[i] = group
            groupStarts[group] += 1
        }
        var next = 0
        for group in groupStarts.indices {
            (groupStarts[group], next) = (next, next + groupStarts[group])
        }
        groupStarts.append(next)
        var members = [TrafficSplit.Candidate?](repeating: nil, count: next)
        var filled = groupStarts
        for i in deployments.indices where groupOf[i] >= 0 {
            members[filled[groupOf[i]]] = TrafficSplit.Candidate(deployments[i])
            filled[groupOf[i]] += 1
        }

        var rules: [JSONValue] = []
        rules.reserveCapacity(members.count)
        /// Where each group's rules are in `rules`, for the aliases.
        var groupRules: [Range<Int>] = []
        groupRules.reserveCapacity(groupNames.count)
        for (group, name) in groupNames.enumerated() {
            let split = TrafficSplit(candidates: members[groupStarts[group]..<groupStarts[group + 1]].lazy.map { $0! })
            let shared = split.shares.count > 1
            let first = rules.count
            for (index, percent) in split.shares {
                let target = targets[index]!
                if !shared && target.modelId == name { continue }  // the public name is the model itself: nothing to route
                var rule: JSONObject = [
                    Ownership.ruleOwnerField: .string(Ownership.ruleOwnerValue), "modelPattern": .string(name),
                    "routeTo": .string(target.modelId), "provider": .string(target.provider), "priority": 100,
                ]
                if shared {
                    rule["experimentId"] = .string("litellm-split:\(name)")
                    rule["variant"] = .string("\(target.provider)/\(target.modelId)")
                    rule["weight"] = .int(percent)
                }
                rules.append(.object(rule))
            }
            groupRules.append(first..<rules.count)
            for index in split.failover {
                let d = deployments[index]
                // Report it on the key that holds its order; a deployment without `order` (dropped because others have
                // one) on its model_name, which then routes nothing.
                let orderKey = d.params["order"] != nil ? ".litellm_params.order" : d.info["order"] != nil ? ".model_info.order" : ".model_name"
                overrides.append((
                    d.path + orderKey,
                    (.manual, "failover deployment (order \(d.order.map(String.init) ?? "unset")) of \(name): Synapse routing rules have no failover tier; it gets no traffic share — add a Synapse fallback for it by hand")
                ))
            }
        }
        for alias in config.router.aliases {
            guard let group = groupSlots[alias.group] else {
                warnings.append(MappingWarning(
                    "model_group_alias \"\(alias.alias)\" points to \"\(alias.group)\", which no mapped model_list entry serves", at: alias.location,
                    hint: "fix the group name or remove the alias"))
                continue
            }
            if groupRules[group].isEmpty {
                let target = targets[members[groupStarts[group]]!.index]!
                rules.append(.object([
                    Ownership.ruleOwnerField: .string(Ownership.ruleOwnerValue), "modelPattern": .string(alias.alias),
                    "routeTo": .string(target.modelId), "provider": .string(target.provider), "priority": 90,
                ]))
            } else {
                for ruleIndex in groupRules[group] {
                    guard case .object(var rule) = rules[ruleIndex] else { continue }
                    rule["modelPattern"] = .string(alias.alias)
                    rule["priority"] = 90
                    if rule["experimentId"] != nil { rule["experimentId"] = .string("litellm-split:\(alias.alias)") }
                    rules.append(.object(rule))
                }
            }
        }
        let strategy = explicitStrategy ?? RoutingRules.synapseStrategy(for: config.router.routingStrategy)
        var sources: [SourceLocation] = []
        if let location = config.router.routingStrategyLocation { sources.append(location) }
        object = DesiredObject(
            kind: .routingConfig, key: "routing",
            fields: ["strategy": .string(strategy), "rules": .array(rules)], sources: sources)
        self.overrides = overrides
        self.warnings = warnings
    }
}
