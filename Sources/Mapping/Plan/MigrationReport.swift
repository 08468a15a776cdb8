import SynapseContract

/// The plan's `migration_report.md`: what will be created, where every config key went, what a person must do.
public enum MigrationReport {
    public static func render(_ result: MappingResult) -> String {
        var buffer = TextBuffer()
        write(result, to: &buffer)
        return buffer.string
    }

    /// Appends the report to `buffer` (which may be draining to a file as it fills).
    public static func write(_ result: MappingResult, to buffer: inout TextBuffer) {
        let desired = result.desired
        let report = result.report
        let counts = report.counts
        // Small sections are built as strings and appended; the long tables (one row per object and per key)
        // are written straight into the buffer.
        var out = "# LiteLLM → Synapse migration report\n\n"
        out += "Config: \(result.files.map { "`\($0)`" }.joined(separator: ", "))  \nTenant: `\(desired.tenant)`\n\n"

        out += "## Summary\n\n| gateway object | count |\n|---|---|\n"
        for kind in ResourceKind.applyOrder {
            out += "| \(kind.displayName) | \(desired.count(of: kind)) |\n"
        }
        out += "\n| config keys | count |\n|---|---|\n"
        for category in MappingReport.Category.allCases {
            out += "| \(category.rawValue) | \(counts[category] ?? 0) |\n"
        }
        out += "| warnings | \(report.warnings.count) |\n\n"

        out += "## Objects\n\n| kind | name | from |\n|---|---|---|\n"
        buffer.append(out)
        out = ""
        var files = FileNameCache()
        for object in desired.objects {
            buffer.append("| ")
            buffer.append(object.kind.displayName)
            buffer.append(" | `")
            Markdown.appendCell(object.key, to: &buffer)
            buffer.append("` | ")
            if let source = object.sources.first {
                source.appendCell(fileCell: files.cell(source), to: &buffer)
            } else {
                buffer.append("—")
            }
            buffer.append(" |\n")
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

        let cells = report.entries.cells()
        for category in [MappingReport.Category.manual, .mapped, .skipped] {
            let count = counts[category] ?? 0
            out += "\n## \(category.rawValue) (\(count))\n\n"
            switch category {
            case .manual: out += "Settings a person must carry over by hand, with the suggested action.\n\n"
            case .mapped: out += "Settings the gateway objects above carry.\n\n"
            case .skipped: out += "LiteLLM-specific settings with no Synapse equivalent.\n\n"
            }
            if count == 0 { out += "None.\n"; continue }
            out += "| key | where | \(category == .manual ? "action" : "note") |\n|---|---|---|\n"
            buffer.append(out)
            out = ""
            let entries = report.entries
            for i in entries.indices where entries.category(i) == category {
                buffer.append("| `")
                entries.appendPathCell(i, cells: cells, to: &buffer)
                buffer.append("` | ")
                let location = entries.location(i)
                location.appendCell(fileCell: files.cell(location), to: &buffer)
                buffer.append(" | ")
                entries.appendNoteCell(i, cells: cells, to: &buffer)
                buffer.append(" |\n")
            }
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
        buffer.append(out)
    }

    /// The file name cell of the last location asked about: rows come in file order, so this saves a table lookup
    /// and an escape per row.
    private struct FileNameCache {
        private var id: UInt32?
        private var cell: [UInt8] = []

        mutating func cell(_ location: SourceLocation) -> [UInt8] {
            if location.fileID != id {
                id = location.fileID
                cell = Array(Markdown.cell(location.file).utf8)
            }
            return cell
        }
    }
}
