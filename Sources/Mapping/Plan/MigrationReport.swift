import SynapseContract

/// The plan's `migration_report.md`: what will be created, where every config key went, what a person must do.
public enum MigrationReport {
    public static func render(_ result: MappingResult) -> String {
        let desired = result.desired
        let report = result.report
        let counts = report.counts
        var out = "# LiteLLM → Synapse migration report\n\n"
        out += "Config: \(result.files.map { "`\($0)`" }.joined(separator: ", "))  \nTenant: `\(desired.tenant)`\n\n"

        out += "## Summary\n\n| gateway object | count |\n|---|---|\n"
        for kind in ResourceKind.applyOrder {
            out += "| \(kind.displayName) | \(desired.objects(of: kind).count) |\n"
        }
        out += "\n| config keys | count |\n|---|---|\n"
        for category in MappingReport.Category.allCases {
            out += "| \(category.rawValue) | \(counts[category] ?? 0) |\n"
        }
        out += "| warnings | \(report.warnings.count) |\n\n"

        out += "## Objects\n\n| kind | name | from |\n|---|---|---|\n"
        for object in desired.objects {
            out += "| \(object.kind.displayName) | `\(Markdown.cell(object.key))` | \(Markdown.cell(object.sources.first?.description ?? "—")) |\n"
        }

        if !report.warnings.isEmpty {
            out += "\n## Warnings\n\n"
            for warning in report.warnings { out += "- \(warning)\n" }
        }

        let variables = PlanPayloads.requiredVariables(for: desired)
        out += "\n## Environment variables `apply` needs\n\n"
        if variables.isEmpty {
            out += "None.\n"
        } else {
            out += "Values are read at apply time and never written to any file. `LITELLM_SYNAPSE_SECRET_*` variables stand for keys written in the config itself: export them (better: move the keys to environment variables).\n\n| variable | used by |\n|---|---|\n"
            for (variable, usedBy) in variables { out += "| `\(variable)` | \(Markdown.cell(usedBy)) |\n" }
        }

        for category in [MappingReport.Category.manual, .mapped, .skipped] {
            let entries = report.entries(category)
            out += "\n## \(category.rawValue) (\(entries.count))\n\n"
            switch category {
            case .manual: out += "Settings a person must carry over by hand, with the suggested action.\n\n"
            case .mapped: out += "Settings the gateway objects above carry.\n\n"
            case .skipped: out += "LiteLLM-specific settings with no Synapse equivalent.\n\n"
            }
            if entries.isEmpty { out += "None.\n"; continue }
            out += "| key | where | \(category == .manual ? "action" : "note") |\n|---|---|---|\n"
            for entry in entries { out += "| `\(Markdown.cell(entry.path))` | \(Markdown.cell(entry.location.description)) | \(Markdown.cell(entry.note)) |\n" }
        }

        out += """

            ## Contract notes

            - Integration `providerType` is an enum in the contract (OPEN_AI, ANTHROPIC, GOOGLE, COHERE, AZURE, MISTRAL, VLLM, CUSTOM). Azure OpenAI integrations are sent as AZURE, Vertex AI and Gemini as GOOGLE, and providers the enum lacks (Bedrock, Groq, Together, …) as CUSTOM; the seed's names (AZURE_OPEN_AI, AWS_BEDROCK, …) are kept on providers and models, where `providerType` is free text.
            - Every object carries `\(Ownership.marker)` at the end of its description: the controller changes and deletes only objects with this marker.
            - Traffic splits follow LiteLLM's simple-shuffle: the lowest `order` only, then `weight`, else `rpm`, else `tpm`, else equal shares, as whole percentages summing to 100.

            ## Migration checklist

            - [ ] Review this report, the Manual section above all
            - [ ] Export the environment variables listed above (and `SYNAPSE_GATEWAY_URL`, `SYNAPSE_API_KEY`)
            - [ ] Apply: `litellm-synapse apply --config <file>` (idempotent) or `./apply.sh` (one-shot)
            - [ ] Validate: `litellm-synapse validate --config <file>` reports no pending changes
            - [ ] Verify each integration with `POST /api/v1/model-catalog/integrations/{id}/verify`
            - [ ] Confirm routing decisions with `POST /api/v1/routing/simulate` for each public model name
            - [ ] Hand out the virtual key secrets (from the secrets file) to their teams
            - [ ] Point clients' `base_url` at Synapse, one service at a time; LiteLLM keeps running for rollback
            - [ ] Check `x-synapse-cache-status` and `x-worldflow-model` headers on live traffic

            """
        return out
    }
}
