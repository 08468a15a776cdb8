import Diff
import FoundationEssentials
import Glibc
import Mapping
import SynapseContract

/// Resolves the desired state's `os.environ/NAME` references just before a write, as LiteLLM would at start-up.
///
/// Values come from, in order of precedence: the config's own `environment_variables:` (LiteLLM sets them over the
/// process environment), the process environment, and `--env-file` lines (`NAME=value`, `#` comments). As LiteLLM's
/// `get_secret` does, `true`/`false` (any case) become booleans. A reference to an unset variable stops the apply
/// before any write, naming the variable and every place that uses it.
public struct EnvironmentResolver: Sendable {
    public let values: [String: String]

    public init(processEnvironment: [String: String], envFile: [String: String] = [:], configEnvironment: [String: String] = [:]) {
        values = envFile.merging(processEnvironment) { _, process in process }.merging(configEnvironment) { _, config in config }
    }

    /// Parses an env file: `NAME=value` lines; blank lines and `#` comments skipped; optional quotes removed.
    public static func parseEnvFile(_ text: String, path: String) throws(ConfigError) -> [String: String] {
        var out: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let eq = line.firstIndex(of: "=") else {
                throw ConfigError("line is not NAME=value", at: SourceLocation(file: path, line: n + 1, column: 1), hint: "write each variable as NAME=value")
            }
            let name = String(line[..<eq]).trimmingWhitespace()
            var value = String(line[line.index(after: eq)...]).trimmingWhitespace()
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
            guard EnvironmentReference.isValidName(name) else {
                throw ConfigError("\"\(name)\" is not a variable name", at: SourceLocation(file: path, line: n + 1, column: 1), hint: "use letters, digits and _")
            }
            out[name] = value
        }
        return out
    }

    /// The variables the desired state uses that have no value, each with where it is used.
    public func missing(in desired: DesiredState) -> [(variable: String, uses: [EnvironmentUse])] {
        var grouped: [String: [EnvironmentUse]] = [:]
        for use in desired.environmentReferences where values[use.variable] == nil { grouped[use.variable, default: []].append(use) }
        return grouped.keys.sorted().map { ($0, grouped[$0]!) }
    }

    /// The message that stops an apply when variables are unset.
    public func missingMessage(in desired: DesiredState) -> String? {
        let missing = missing(in: desired)
        guard !missing.isEmpty else { return nil }
        let lines = missing.map { variable, uses in
            let places = uses.map { use in "\(use.object) \(use.field)" + (use.source.map { " (\($0))" } ?? "") }
            return "  \(variable): used by " + places.joined(separator: ", ")
        }
        return "these environment variables are not set, so nothing was written:\n" + lines.joined(separator: "\n")
            + "\nset them (or pass --env-file FILE) and run again"
    }

    /// `fields` with every `"os.environ/NAME"` string replaced by its value (`true`/`false` as booleans).
    public func resolve(_ fields: JSONObject) -> JSONObject {
        fields.mapValues(resolve)
    }

    public func resolve(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            guard let name = EnvironmentReference.variableName(in: s) else { return value }
            guard let resolved = values[name] else { return .null }
            switch resolved.trimmingWhitespace().lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(resolved)
            }
        case .array(let items): return .array(items.map(resolve))
        case .object(let fields): return .object(resolve(fields))
        default: return value
        }
    }

    /// The secret values of every object (nil where a variable is unset).
    public func secrets(of desired: DesiredState) -> [ObjectRef: [String: Secret]] {
        var out: [ObjectRef: [String: Secret]] = [:]
        for object in desired.objects where !object.secrets.isEmpty {
            var fields: [String: Secret] = [:]
            var complete = true
            for (field, source) in object.secrets {
                switch source {
                case .environment(let name):
                    if let value = values[name] { fields[field] = Secret(value) } else { complete = false }
                case .literal(let secret): fields[field] = secret
                case .none: fields[field] = Secret("")
                }
            }
            if complete { out[object.ref] = fields }
        }
        return out
    }
}
