import SynapseContract

/// `plan --format json` and `inspect --format json`: stable, documented JSON for pipelines (docs/json-formats.md).
public enum PlanJSON {
    public static let schemaVersion = 1

    public static func render(_ result: MappingResult) -> JSONValue {
        let report = result.report
        let objects: [JSONValue] = result.desired.objects.map { object in
            var secrets: JSONObject = [:]
            for (field, source) in object.secrets { secrets[field] = .string(source.description) }
            var links: JSONObject = [:]
            for (field, ref) in object.links { links[field] = .string("\(ref.kind.rawValue):\(ref.key)") }
            return .object([
                "kind": .string(object.kind.rawValue), "key": .string(object.key), "fields": .object(object.fields),
                "links": .object(links), "secrets": .object(secrets),
                "sources": .array(object.sources.map { .string($0.description) }),
            ])
        }
        var counts: JSONObject = [:]
        for category in MappingReport.Category.allCases { counts[category.rawValue.lowercased()] = .int(report.counts[category] ?? 0) }
        return .object([
            "schemaVersion": .int(schemaVersion),
            "files": .array(result.files.map(JSONValue.string)),
            "tenant": .string(result.desired.tenant),
            "objects": .array(objects),
            "report": .object([
                "counts": .object(counts),
                "entries": .array(report.entries.map { entry in
                    .object([
                        "path": .string(entry.path), "location": .string(entry.location.description),
                        "category": .string(entry.category.rawValue.lowercased()), "note": .string(entry.note),
                    ])
                }),
                "warnings": .array(report.warnings.map { .string($0.description) }),
            ]),
            "environment": .array(PlanPayloads.requiredVariables(for: result.desired).map { v in
                .object(["variable": .string(v.variable), "usedBy": .string(v.usedBy)])
            }),
        ])
    }
}

/// What `inspect` prints: the fully loaded config (includes merged) as JSON, literal secrets masked.
public enum ConfigInspector {
    /// Key names whose literal values are secrets (compared lower-cased, as substrings).
    static let secretKeyMarkers = ["api_key", "apikey", "secret", "password", "token", "master_key", "credentials", "database_url", "private_key", "access_key"]

    public static func json(_ config: LoadedConfig) -> JSONValue {
        var fields: JSONObject = [:]
        for pair in config.topLevel { fields[pair.key.jsonKey] = masked(pair.value, key: pair.key.scalarText) }
        return .object(fields)
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return secretKeyMarkers.contains { lower.contains($0) }
    }

    private static func masked(_ node: YAMLNode, key: String) -> JSONValue {
        switch node.value {
        case .mapping(let pairs):
            var fields: JSONObject = [:]
            for pair in pairs { fields[pair.key.jsonKey] = masked(pair.value, key: pair.key.scalarText) }
            return .object(fields)
        case .sequence(let items):
            return .array(items.map { masked($0, key: key) })
        case .null:
            return .null
        default:
            if isSecretKey(key), !(node.stringValue.map { $0.hasPrefix(EnvironmentReference.prefix) } ?? false) {
                return "(sensitive)"
            }
            return node.json
        }
    }
}
