/// Puts every key of a config into Mapped, Manual or Skipped, with a note saying what it became or what to do.
///
/// Rules are keyed by YAML path with list indices written `[]` (`model_list[].litellm_params.api_key`); `X.*` is the
/// rule for keys under `X` that have no rule of their own. A `.leaf` rule covers the key's whole subtree with one
/// entry; a `.descend` rule classifies the children instead (and is the entry for a scalar value).
struct KeyClassifier {
    enum Rule {
        case leaf(MappingReport.Category, String)
        case descend(MappingReport.Category, String)
    }

    /// Per-path decisions made while mapping (an unknown provider, a wildcard): the exact path and its subtree.
    var overrides: [String: (MappingReport.Category, String)] = [:]

    func classify(_ config: LoadedConfig) -> MappingReport.Entries {
        var walk = Walk(overrides: overrides)
        // Every entry is for one mapping key, so the keys in the config bound the entries: reserving that many up
        // front saves the regrowth copies of a 100,000-entry array, and unused capacity is never touched.
        walk.entries.reserveCapacity(config.topLevel.reduce(config.topLevel.count) { $0 + KeyClassifier.keyCount($1.value) })
        for pair in config.topLevel {
            let key = pair.key.scalarText
            walk.visit(pair, key: key, prefix: walk.overridePrefixes.isEmpty ? nil : "", prefixID: 0, pattern: walk.patterns.child(of: PatternTable.root, key: key),
                       parent: PatternTable.root, inherited: nil)
        }
        return walk.entries
    }

    /// The mapping keys in and under `node`.
    static func keyCount(_ node: YAMLNode) -> Int {
        switch node.value {
        case .mapping(let pairs): return pairs.reduce(pairs.count) { $0 + keyCount($1.value) }
        case .sequence(let items): return items.reduce(0) { $0 + keyCount($1) }
        default: return 0
        }
    }

    /// Rule patterns met while walking, numbered, with each one's children looked up by key once: the walk then
    /// costs one lookup per key instead of building and hashing `pattern + "." + key` strings.
    /// The patterns are the same strings the rules are keyed by, so the lookups are the same as joining them.
    struct PatternTable {
        static let root = 0
        static let fewChildren = 16
        private var texts: [String] = [""]
        /// Each pattern's children while it has fewer than `fewChildren`, then in `childIDs`.
        private var fewChildIDs: [[(key: String, id: Int)]] = [[]]
        private var childIDs: [[String: Int]] = [[:]]
        private var itemIDs: [Int?] = [nil]

        func text(_ id: Int) -> String { texts[id] }

        /// `pattern.key` (or just `key` at the top).
        mutating func child(of id: Int, key: String) -> Int {
            // Most patterns have a handful of children (a deployment's keys): comparing the short keys costs less than
            // hashing. Past `fewChildren` the dictionary answers, so a mapping with thousands of keys stays linear.
            if childIDs[id].isEmpty {
                for child in fewChildIDs[id] where child.key == key { return child.id }
            } else if let found = childIDs[id][key] {
                return found
            }
            let new = add(id == PatternTable.root ? key : texts[id] + "." + key)
            if fewChildIDs[id].count < PatternTable.fewChildren {
                fewChildIDs[id].append((key, new))
            } else {
                if childIDs[id].isEmpty { for child in fewChildIDs[id] { childIDs[id][child.key] = child.id } }
                childIDs[id][key] = new
            }
            return new
        }

        /// `pattern[]`: the items of a list.
        mutating func items(of id: Int) -> Int {
            if let found = itemIDs[id] { return found }
            let new = add(texts[id] + "[]")
            itemIDs[id] = new
            return new
        }

        private mutating func add(_ text: String) -> Int {
            texts.append(text)
            fewChildIDs.append([])
            childIDs.append([:])
            itemIDs.append(nil)
            return texts.count - 1
        }
    }

    private struct Walk {
        let overrides: [String: (MappingReport.Category, String)]
        var patterns = PatternTable()
        var entries = MappingReport.Entries()
        /// Every path that is an override or leads to one (`model_list[2]` for `model_list[2].model_name`): below
        /// any other path no override applies, and no path string needs to be built to look one up.
        let overridePrefixes: Set<String>
        /// The rule of each pattern (resolved once per pattern), with its note's number in `entries`, by pattern
        /// number: patterns are numbered 0, 1, 2… so a list is a table without hashing.
        var resolved: [(rule: Rule, note: Int32)?] = []
        /// The number of each pattern's key text in `entries`, by pattern number.
        var keyIDs: [Int32?] = []

        init(overrides: [String: (MappingReport.Category, String)]) {
            self.overrides = overrides
            var prefixes = Set<String>()
            for path in overrides.keys {
                prefixes.insert(path)
                var candidate = Substring(path)
                while let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) {
                    candidate = candidate[..<cut]
                    prefixes.insert(String(candidate))
                }
            }
            overridePrefixes = prefixes
        }

        /// The rule for a key: its own, else its parent's `.*` (or the top level's `*`).
        mutating func rule(pattern: Int, parent: Int) -> (rule: Rule, note: Int32) {
            if pattern < resolved.count, let found = resolved[pattern] { return found }
            let parentText = patterns.text(parent)
            let rule = KeyClassifier.rules[patterns.text(pattern)]
                ?? KeyClassifier.rules[parentText.isEmpty ? "*" : parentText + ".*"]
                ?? .leaf(.skipped, "no Synapse equivalent")
            let note: String
            switch rule {
            case .leaf(_, let text), .descend(_, let text): note = text
            }
            let found = (rule: rule, note: entries.noteID(note))
            if pattern >= resolved.count { resolved += repeatElement(nil, count: pattern + 1 - resolved.count) }
            resolved[pattern] = found
            return found
        }

        /// An override on this exact path, when overrides lie on or below it. `prefix` is the parent's path, or nil
        /// when no override lies below the parent (then no path is built).
        func override(prefix: String?, key: String) -> (found: (MappingReport.Category, String)?, below: Bool) {
            guard let prefix else { return (nil, false) }
            let path = prefix + key
            if key.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") }) {
                // A key that looks like a path (`a.b`) is cut like one: check every shorter path, as a plain walk
                // of the components would not.
                var candidate = Substring(path)
                while true {
                    if let found = overrides[String(candidate)] { return (found, overridePrefixes.contains(path)) }
                    guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
                    candidate = candidate[..<cut]
                }
            }
            guard overridePrefixes.contains(path) else { return (nil, false) }
            return (overrides[path], true)
        }

        /// The number of a pattern's key text in `entries` (the key is the pattern's last component).
        mutating func keyID(pattern: Int, key: String) -> Int32 {
            if pattern < keyIDs.count, let found = keyIDs[pattern] { return found }
            let id = entries.keyID(key)
            if pattern >= keyIDs.count { keyIDs += repeatElement(nil, count: pattern + 1 - keyIDs.count) }
            keyIDs[pattern] = id
            return id
        }

        /// Records one key of a mapping. `prefixID` is its parent's path (with the separator) in `entries`;
        /// `prefix` is the same path as text (`model_list[2].`), kept only where overrides lie below it.
        /// `inherited` is an override of an enclosing path, which covers this key unless it has its own (the most
        /// specific override wins, as when the path is cut back component by component).
        mutating func visit(_ pair: YAMLPair, key: String, prefix: String?, prefixID: Int32, pattern: Int, parent: Int,
                            inherited: (MappingReport.Category, String)?) {
            let (own, overridesBelow) = override(prefix: prefix, key: key)
            let keyID = keyID(pattern: pattern, key: key)
            if let (category, note) = own ?? inherited {
                entries.append(prefix: prefixID, key: keyID, location: pair.key.location, category: category, note: entries.noteID(note))
                return
            }
            let (rule, note) = rule(pattern: pattern, parent: parent)
            switch rule {
            case .leaf(let category, _):
                entries.append(prefix: prefixID, key: keyID, location: pair.key.location, category: category, note: note)
            case .descend(let category, _):
                // The path to this key, as text, when an override lies below it.
                let path = overridesBelow ? prefix.map { $0 + key } : nil
                switch pair.value.value {
                case .mapping(let children) where !children.isEmpty:
                    let childPrefixID = entries.addPrefix(parent: prefixID, key: keyID, index: nil)
                    for child in children {
                        let childKey = child.key.scalarText
                        visit(child, key: childKey, prefix: path.map { $0 + "." }, prefixID: childPrefixID,
                              pattern: patterns.child(of: pattern, key: childKey), parent: pattern, inherited: nil)
                    }
                case .sequence(let items) where items.contains(where: \.isMapping):
                    let itemsPattern = patterns.items(of: pattern)
                    for (i, item) in items.enumerated() {
                        guard case .mapping(let children) = item.value else {
                            let itemPath = entries.prefixText(prefixID) + key + "[\(i)]"
                            entries.append(prefix: 0, key: entries.keyID(itemPath), location: item.location, category: category, note: note)
                            continue
                        }
                        // An override on the item itself covers each of its keys.
                        let itemPath = path.map { "\($0)[\(i)]" }.flatMap { overridePrefixes.contains($0) ? $0 : nil }
                        let itemOverride = itemPath.flatMap { overrides[$0] }
                        let childPrefixID = entries.addPrefix(parent: prefixID, key: keyID, index: i)
                        for child in children {
                            let childKey = child.key.scalarText
                            visit(child, key: childKey, prefix: itemPath.map { $0 + "." }, prefixID: childPrefixID,
                                  pattern: patterns.child(of: itemsPattern, key: childKey), parent: itemsPattern,
                                  inherited: itemOverride)
                        }
                    }
                default:
                    entries.append(prefix: prefixID, key: keyID, location: pair.key.location, category: category, note: note)
                }
            }
        }
    }

    // MARK: - The rules

    private static let deploymentRequestDefault = "request parameter LiteLLM sends to the provider; Synapse has no per-deployment request defaults: set it in the calling application"
    private static let retryManual = "Synapse has no per-deployment timeout/retry setting in the contract: review the gateway's provider health settings"

    static let rules: [String: Rule] = {
        var r: [String: Rule] = [
            "*": .leaf(.skipped, "not a LiteLLM setting; LiteLLM ignores it"),
            "include": .leaf(.mapped, "included files merged into this config (LiteLLM's merge rule)"),
            "model_list": .descend(.mapped, "model deployments"),
            "model_list[].model_name": .leaf(.mapped, "routing rule modelPattern (the public model name)"),
            "model_list[].litellm_params": .descend(.manual, deploymentRequestDefault),
            "model_list[].litellm_params.*": .leaf(.manual, deploymentRequestDefault),
            "model_list[].litellm_params.model": .leaf(.mapped, "model modelId and provider type"),
            "model_list[].litellm_params.custom_llm_provider": .leaf(.mapped, "provider type"),
            "model_list[].litellm_params.api_key": .leaf(.mapped, "integration apiKey (secret, write-only)"),
            "model_list[].litellm_params.api_base": .leaf(.mapped, "integration endpointUrl"),
            "model_list[].litellm_params.base_url": .leaf(.mapped, "integration endpointUrl"),
            "model_list[].litellm_params.litellm_credential_name": .leaf(.mapped, "integration (from credential_list)"),
            "model_list[].litellm_params.rpm": .leaf(.mapped, "provider rateLimits.rpm, traffic-split weight, tenant tier"),
            "model_list[].litellm_params.tpm": .leaf(.mapped, "provider rateLimits.tpm, traffic-split weight, tenant tier"),
            "model_list[].rpm": .leaf(.mapped, "provider rateLimits.rpm, traffic-split weight, tenant tier"),
            "model_list[].tpm": .leaf(.mapped, "provider rateLimits.tpm, traffic-split weight, tenant tier"),
            "model_list[].litellm_params.weight": .leaf(.mapped, "traffic-split rule weight"),
            "model_list[].litellm_params.order": .leaf(.mapped, "traffic split: only the lowest order gets traffic, the rest is failover"),
            "model_list[].litellm_params.tags": .leaf(.mapped, "provider tags"),
            "model_list[].litellm_params.max_budget": .leaf(.mapped, "provider budget"),
            "model_list[].litellm_params.budget_duration": .leaf(.mapped, "provider budget period"),
            "model_list[].litellm_params.timeout": .leaf(.manual, retryManual),
            "model_list[].litellm_params.stream_timeout": .leaf(.manual, retryManual),
            "model_list[].litellm_params.max_retries": .leaf(.manual, retryManual),
            "model_list[].litellm_params.num_retries": .leaf(.manual, retryManual),
            "model_list[].litellm_params.cooldown_time": .leaf(.manual, retryManual),
            "model_list[].litellm_params.rpd": .leaf(.manual, "daily request limit per deployment: Synapse limits requests per day per tenant tier or virtual key (rateLimitRpd)"),
            "model_list[].litellm_params.tpd": .leaf(.manual, "daily token limit per deployment has no Synapse field: use provider budgets"),
            "model_list[].litellm_params.max_parallel_requests": .leaf(.manual, "concurrency limit has no Synapse field: rely on provider rateLimits"),
            "model_list[].litellm_params.mock_response": .leaf(.skipped, "LiteLLM test setting"),
            "model_list[].litellm_params.mock_timeout": .leaf(.skipped, "LiteLLM test setting"),
            "model_list[].model_info": .descend(.skipped, "LiteLLM model metadata"),
            "model_list[].model_info.*": .leaf(.skipped, "LiteLLM model metadata with no Synapse field"),
            "model_list[].model_info.id": .leaf(.skipped, "LiteLLM's deployment id; Synapse assigns its own ids"),
            "model_list[].model_info.mode": .leaf(.mapped, "model modelType"),
            "model_list[].model_info.base_model": .leaf(.mapped, "model family"),
            "model_list[].model_info.order": .leaf(.mapped, "traffic split: only the lowest order gets traffic, the rest is failover"),
            "model_list[].model_info.access_groups": .leaf(.manual, "access groups: list these models in the allowedModels of the virtual keys that may use them"),
            "model_list[].model_info.team_id": .leaf(.manual, "team-only model: restrict it with the team's virtual keys (allowedModels)"),
            "model_list[].model_info.description": .leaf(.skipped, "free text"),

            "credential_list": .descend(.mapped, "credentials"),
            "credential_list[].credential_name": .leaf(.mapped, "integration name"),
            "credential_list[].credential_values": .descend(.mapped, "integration settings"),
            "credential_list[].credential_values.*": .leaf(.mapped, "integration config"),
            "credential_list[].credential_values.api_key": .leaf(.mapped, "integration apiKey (secret, write-only)"),
            "credential_list[].credential_values.api_base": .leaf(.mapped, "integration endpointUrl"),
            "credential_list[].credential_info": .leaf(.skipped, "descriptive metadata"),

            "router_settings": .descend(.skipped, "router settings"),
            "router_settings.*": .leaf(.skipped, "LiteLLM router internals with no Synapse equivalent"),
            "router_settings.routing_strategy": .leaf(.mapped, "routing config strategy"),
            "router_settings.model_group_alias": .leaf(.mapped, "routing rules (alias → group)"),
            "router_settings.provider_budget_config": .leaf(.mapped, "provider budgets"),
            "router_settings.routing_strategy_args": .leaf(.manual, "strategy tuning: review the Synapse routing config's sloConfig/weights"),
            "router_settings.redis_host": .leaf(.skipped, "LiteLLM's shared router state; Synapse keeps its own"),
            "router_settings.redis_port": .leaf(.skipped, "LiteLLM's shared router state; Synapse keeps its own"),
            "router_settings.redis_password": .leaf(.skipped, "LiteLLM's shared router state; Synapse keeps its own"),
            "router_settings.redis_url": .leaf(.skipped, "LiteLLM's shared router state; Synapse keeps its own"),

            "litellm_settings": .descend(.skipped, "LiteLLM module settings"),
            "litellm_settings.*": .leaf(.skipped, "LiteLLM module setting with no Synapse equivalent"),
            "litellm_settings.default_team_settings": .leaf(.mapped, "teams"),
            "litellm_settings.model_group_alias": .leaf(.mapped, "routing rules (alias → group)"),
            "litellm_settings.callbacks": .leaf(.manual, "logging/observability callbacks: Synapse has built-in analytics; configure its exporters for these destinations"),
            "litellm_settings.success_callback": .leaf(.manual, "logging callbacks: configure Synapse analytics exporters for these destinations"),
            "litellm_settings.failure_callback": .leaf(.manual, "failure callbacks: configure Synapse alerting for these destinations"),
            "litellm_settings.service_callback": .leaf(.manual, "service callbacks: configure Synapse monitoring"),
            "litellm_settings.cache": .leaf(.manual, "response cache: Synapse's semantic cache is on by default; review its TTL and similarity settings"),
            "litellm_settings.cache_params": .leaf(.manual, "cache settings: review Synapse's semantic cache settings (it does not use LiteLLM's Redis)"),
            "litellm_settings.max_budget": .leaf(.manual, "proxy-wide budget: the contract has no tenant budget; set team budgets (litellm_synapse.teams) or provider budgets"),
            "litellm_settings.budget_duration": .leaf(.manual, "proxy-wide budget period: see max_budget"),
            "litellm_settings.num_retries": .leaf(.manual, retryManual),
            "litellm_settings.request_timeout": .leaf(.manual, retryManual),
            "litellm_settings.fallbacks": .leaf(.manual, "fallbacks: the contract has no fallback chains; add routing rules for the fallback models"),
            "litellm_settings.context_window_fallbacks": .leaf(.manual, "context-window fallbacks: add routing rules for larger-context models"),
            "litellm_settings.guardrails": .leaf(.manual, "guardrails: create matching Synapse guardrails (POST /api/v1/guardrails)"),
            "litellm_settings.default_key_generate_params": .leaf(.manual, "key defaults: set rpm/tpm/models on each virtual key in litellm_synapse.virtual_keys"),
            "litellm_settings.upperbound_key_generate_params": .leaf(.manual, "key limits: Synapse has no upper bound setting; keep virtual key limits within it"),
            "litellm_settings.drop_params": .leaf(.skipped, "LiteLLM request handling"),
            "litellm_settings.set_verbose": .leaf(.skipped, "LiteLLM logging"),
            "litellm_settings.json_logs": .leaf(.skipped, "LiteLLM logging"),

            "general_settings": .descend(.skipped, "LiteLLM server settings"),
            "general_settings.*": .leaf(.skipped, "LiteLLM server setting with no Synapse equivalent"),
            "general_settings.master_key": .leaf(.manual, "LiteLLM admin key: Synapse has its own admin keys; give clients Synapse virtual keys instead"),
            "general_settings.database_url": .leaf(.skipped, "LiteLLM's database"),
            "general_settings.store_model_in_db": .leaf(.manual, "models stored in LiteLLM's database are not in this file: export them into model_list before relying on this plan"),
            "general_settings.alerting": .leaf(.manual, "alerting: configure Synapse alerting for these destinations"),
            "general_settings.alerting_threshold": .leaf(.manual, "alerting: configure Synapse alerting thresholds"),

            "environment_variables": .leaf(.mapped, "environment for os.environ/ references (LiteLLM sets these before reading the config)"),
            "guardrails": .leaf(.manual, "guardrails: create matching Synapse guardrails (POST /api/v1/guardrails); Synapse cannot call LiteLLM guardrail providers"),
            "callback_settings": .leaf(.manual, "callback settings: configure Synapse analytics exporters"),
            "mcp_servers": .leaf(.manual, "MCP servers: register them with Synapse's MCP server management"),
            "mcp_tools": .leaf(.manual, "MCP tools: register the servers with Synapse's MCP server management"),
            "vector_store_registry": .leaf(.skipped, "vector stores have no Synapse management endpoint"),
            "search_tools": .leaf(.skipped, "search tools have no Synapse management endpoint"),
            "prompts": .leaf(.skipped, "prompt management has no Synapse management endpoint"),
            "policies": .leaf(.manual, "policies: review Synapse guardrails and virtual key limits"),
            "policy_attachments": .leaf(.manual, "policy attachments: review Synapse guardrails and virtual key limits"),
            "agents": .leaf(.skipped, "agents have no Synapse management endpoint"),
            "agent_list": .leaf(.skipped, "agents have no Synapse management endpoint"),
            "finetune_settings": .leaf(.skipped, "fine-tuning has no Synapse management endpoint"),
            "files_settings": .leaf(.skipped, "files API has no Synapse management endpoint"),
            "assistant_settings": .leaf(.skipped, "assistants API has no Synapse management endpoint"),
            "default_vertex_config": .leaf(.manual, "default Vertex settings: set vertex_project/vertex_location on each deployment so they map to integrations"),

            ExtensionSettings.sectionName: .descend(.mapped, "controller settings"),
            ExtensionSettings.sectionName + ".*": .leaf(.mapped, "controller settings"),
            ExtensionSettings.sectionName + ".tenant": .leaf(.mapped, "tenant of the rate-limit tier"),
            ExtensionSettings.sectionName + ".rate_limit_tier": .leaf(.mapped, "tenant rate-limit tier"),
            ExtensionSettings.sectionName + ".routing_strategy": .leaf(.mapped, "routing config strategy"),
            ExtensionSettings.sectionName + ".teams": .leaf(.mapped, "teams"),
            ExtensionSettings.sectionName + ".virtual_keys": .leaf(.mapped, "virtual keys"),
        ]
        for key in ["fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks"] {
            r["router_settings." + key] = .leaf(.manual, "fallbacks: the contract has no fallback chains; add routing rules (lower priority) that send these groups to the fallback models")
        }
        for key in ["num_retries", "timeout", "allowed_fails", "cooldown_time", "retry_after", "retry_policy", "allowed_fails_policy", "model_group_retry_policy"] {
            r["router_settings." + key] = .leaf(.manual, retryManual)
        }
        // From the lists the mapping reads, so the report says "mapped" exactly for what is mapped.
        for (key, _) in CredentialIdentity.settingFields {
            r["model_list[].litellm_params." + key] = .leaf(.mapped, "integration config")
        }
        for key in CredentialIdentity.secretFields where key != "api_key" {
            r["model_list[].litellm_params." + key] = .leaf(.mapped, "integration apiKey (secret, write-only)")
        }
        for key in ["aws_session_name", "aws_session_token"] {
            r["model_list[].litellm_params." + key] = .leaf(.manual, "AWS session credentials have no Synapse integration field: deployments that differ only in them share one integration; give the integration long-lived credentials or a role")
        }
        for (key, _, _) in ModelCapabilities.prices {
            r["model_list[].litellm_params." + key] = .leaf(.mapped, "model pricing")
            r["model_list[].model_info." + key] = .leaf(.mapped, "model pricing")
        }
        for (key, target) in ModelCapabilities.limits {
            r["model_list[].model_info." + key] = .leaf(.mapped, "model limits.\(target)")
        }
        for (flag, capability) in ModelCapabilities.flags {
            r["model_list[].model_info." + flag] = .leaf(.mapped, "model capabilities.\(capability)")
        }
        return r
    }()
}
