import Mapping
import SynapseContract

/// Renders a `Plan` for people (text, Markdown) and for programs (JSON, schema in docs/json-formats.md).
/// Sensitive fields show as `(sensitive)` on create and `(changed)` on update, never with a value; the
/// controller's fingerprint bookkeeping inside an integration's `config` is hidden.
public enum PlanRenderer {
    static let symbols: [Change.Action: String] = [.create: "+", .update: "~", .delete: "-", .replace: "-/+"]

    public static func summary(_ plan: Plan) -> String {
        var parts = [
            "\(plan.count(.create)) to create", "\(plan.count(.update)) to update", "\(plan.count(.delete)) to delete",
        ]
        if plan.count(.replace) > 0 { parts.append("\(plan.count(.replace)) to replace") }
        parts.append("\(plan.unchanged.count) unchanged")
        if !plan.conflicts.isEmpty { parts.append("\(plan.conflicts.count) conflict\(plan.conflicts.count == 1 ? "" : "s")") }
        return "Plan: " + parts.joined(separator: ", ") + "."
    }

    public static func text(_ plan: Plan) -> String {
        var out = ""
        for change in plan.changes {
            out += "  \(symbols[change.action]!) \(change.ref)\n"
            for field in change.fields { out += "      " + line(field, action: change.action) + "\n" }
        }
        for conflict in plan.conflicts { out += "  ! \(conflict.ref): \(conflict.reason)\n" }
        for orphan in plan.orphans { out += "  ? \(orphan): owned by litellm-synapse but no longer in the config (kept; --prune deletes it)\n" }
        for secret in plan.uncomparedSecrets { out += "  ? \(secret): not compared (its value is not available here)\n" }
        if plan.changes.isEmpty && plan.conflicts.isEmpty { out += "No changes: the gateway matches the config.\n" }
        return out + summary(plan) + "\n"
    }

    public static func markdown(_ plan: Plan) -> String {
        var out = "| change | object | fields |\n|---|---|---|\n"
        for change in plan.changes {
            let fields = change.fields.map { "`" + Markdown.cell(line($0, action: change.action)) + "`" }.joined(separator: "<br>")
            out += "| \(change.action.rawValue) | \(Markdown.cell(change.ref.description)) | \(fields) |\n"
        }
        for conflict in plan.conflicts { out += "| conflict | \(Markdown.cell(conflict.ref.description)) | \(Markdown.cell(conflict.reason)) |\n" }
        for orphan in plan.orphans { out += "| orphan | \(Markdown.cell(orphan.description)) | kept (prune is off) |\n" }
        return out + "\n" + summary(plan) + "\n"
    }

    public static func json(_ plan: Plan) -> JSONValue {
        .object([
            "changes": .array(plan.changes.map { change in
                .object([
                    "action": .string(change.action.rawValue), "kind": .string(change.ref.kind.rawValue),
                    "key": .string(change.ref.key), "id": change.id.map(JSONValue.string) ?? .null,
                    "fields": .array(change.fields.map { field in
                        .object([
                            "path": .string(field.path), "sensitive": .bool(field.sensitive),
                            "before": field.sensitive ? .null : (field.before.map(displayed) ?? .null),
                            "after": field.sensitive ? .string(change.action == .create ? "(sensitive)" : "(changed)") : (field.after.map(displayed) ?? .null),
                        ])
                    }),
                ])
            }),
            "unchanged": .array(plan.unchanged.map { .string("\($0.kind.rawValue):\($0.key)") }),
            "conflicts": .array(plan.conflicts.map { .object(["kind": .string($0.ref.kind.rawValue), "key": .string($0.ref.key), "reason": .string($0.reason)]) }),
            "orphans": .array(plan.orphans.map { .string("\($0.kind.rawValue):\($0.key)") }),
            "counts": .object([
                "create": .int(plan.count(.create)), "update": .int(plan.count(.update)), "delete": .int(plan.count(.delete)),
                "replace": .int(plan.count(.replace)), "unchanged": .int(plan.unchanged.count), "conflicts": .int(plan.conflicts.count),
            ]),
        ])
    }

    static func line(_ field: FieldChange, action: Change.Action) -> String {
        if field.sensitive { return "\(action == .create ? "+" : "~") \(field.path): \(action == .create ? "(sensitive)" : "(changed)")" }
        switch (field.before.map(displayed), field.after.map(displayed)) {
        case (nil, let after?): return "+ \(field.path): \(short(after))"
        case (let before?, nil): return "- \(field.path): \(short(before))"
        case (let before?, let after?): return "~ \(field.path): \(short(before)) → \(short(after))"
        default: return "~ \(field.path)"
        }
    }

    /// Hides the controller's fingerprint bookkeeping inside an integration's `config`.
    static func displayed(_ value: JSONValue) -> JSONValue {
        guard case .object(var fields) = value, fields[Ownership.integrationConfigField] != nil else { return value }
        fields.removeValue(forKey: Ownership.integrationConfigField)
        return .object(fields)
    }

    static func short(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 160 ? String(text.prefix(157)) + "…" : text
    }
}
