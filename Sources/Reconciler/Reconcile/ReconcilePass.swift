import Diff
import FoundationEssentials
import Glibc
import Mapping
import SynapseContract

/// How one reconcile pass may act.
public struct ReconcileOptions: Sendable {
    public var diff = DiffOptions()
    /// Compute the plan, write nothing.
    public var dryRun = false
    public var allowMassDelete = false
    public var deletionGuard = DeletionGuard()
    /// Where virtual key secrets go (created mode 0600). Required when the plan creates virtual keys.
    public var secretsOut: String?

    public init() {}
}

/// The outcome of one pass: the plan, what each change did, and what it cost.
public struct ReconcileResult: Sendable {
    public enum Status: String, Sendable {
        /// Nothing to change.
        case inSync = "in-sync"
        /// Changes pending (dry run / diff).
        case changesPending = "changes-pending"
        /// All changes applied.
        case applied
        /// Some changes failed; the rest went through.
        case partiallyFailed = "partially-failed"
        /// Stopped before any write (bad config, unset variable, unreachable gateway, guard).
        case failed
    }

    public var status: Status
    public var plan: Plan?
    public var results: [ChangeResult] = []
    /// Why the pass stopped before writing, when it did.
    public var error: String?
    public var warnings: [String] = []
    public var startedAt: Date
    public var durations: [String: Double] = [:]
    public var requests: RequestStats?
    /// Names of the virtual keys whose secrets were written to the secrets file.
    public var secretsWritten: [String] = []

    public var failures: [ChangeResult] { results.filter(\.failed) }
}

/// One reconcile: resolve → observe → diff → guard → apply. Safe to run any number of times.
///
/// ```swift
/// let result = await ReconcilePass.run(mapping: mapped, client: client, environment: env, options: options)
/// print(result.status)
/// ```
public enum ReconcilePass {
    public static func run(
        mapping: MappingResult, client: GatewayClient, environment: EnvironmentResolver, options: ReconcileOptions,
        progress: @escaping @Sendable (ChangeResult) -> Void = { _ in }
    ) async -> ReconcileResult {
        var result = ReconcileResult(status: .failed, startedAt: Date())
        let clock = ContinuousClock()
        let before = client.requestStats

        if let message = environment.missingMessage(in: mapping.desired) {
            result.error = message
            return result
        }
        let desired = DesiredState(
            objects: mapping.desired.objects.map { object in
                var resolved = object
                resolved.fields = environment.resolve(object.fields)
                return resolved
            }, tenant: mapping.desired.tenant)
        let secrets = environment.secrets(of: mapping.desired)

        let observeStart = clock.now
        let actual: ActualState
        do {
            actual = try await Observer.observe(client, tenant: desired.tenant)
        } catch {
            result.error = "cannot read the gateway's state: \(error)"
            result.requests = client.requestStats.since(before)
            return result
        }
        result.durations["observe"] = seconds(clock.now - observeStart)

        // Values from the environment are compared resolved but displayed as sensitive (an AWS access key id, a
        // private endpoint): the plan, its renderings and every report show that they changed, never what they are.
        var fromEnvironment: [ObjectRef: Set<String>] = [:]
        for use in mapping.desired.environmentReferences {
            fromEnvironment[use.object, default: []].insert(String(use.field.prefix { $0 != "." && $0 != "[" }))
        }
        let plan = Differ.plan(desired: desired, actual: actual, secrets: secrets, options: options.diff).maskingFields(fromEnvironment)
        result.plan = plan
        result.warnings = plan.conflicts.map { "\($0.ref): \($0.reason)" }

        if options.diff.prune, !options.allowMassDelete, let refusal = options.deletionGuard.refusal(for: plan) {
            result.error = "refusing to prune: " + refusal
            result.requests = client.requestStats.since(before)
            return result
        }
        let createsKeys = plan.changes.contains { $0.ref.kind == .virtualKey && ($0.action == .create || $0.action == .replace) }
        if createsKeys, options.secretsOut == nil, !options.dryRun {
            result.error = "the plan creates virtual keys, whose secrets the gateway shows only once; pass --secrets-out FILE (written with mode 0600) and run again"
            result.requests = client.requestStats.since(before)
            return result
        }
        if plan.isEmpty || options.dryRun {
            result.status = plan.isEmpty ? .inSync : .changesPending
            result.requests = client.requestStats.since(before)
            return result
        }

        var ids: [ObjectRef: String] = [:]
        for object in actual.objects { ids[object.ref] = object.id }
        var applier = Applier(client: client, secrets: secrets, ids: ids, progress: progress)
        let applyStart = clock.now
        let (results, keySecrets) = await applier.apply(plan)
        result.durations["apply"] = seconds(clock.now - applyStart)
        result.results = results
        if !keySecrets.isEmpty, let path = options.secretsOut {
            do {
                try SecretsFile.merge(keySecrets, into: path)
                result.secretsWritten = keySecrets.keys.sorted()
            } catch {
                result.warnings.append("could not write the virtual key secrets to \(path): \(error); rotate these keys: \(keySecrets.keys.sorted().joined(separator: ", "))")
            }
        }
        result.status = result.failures.isEmpty && !results.contains { if case .skipped = $0.outcome { return true } else { return false } }
            ? .applied : .partiallyFailed
        result.requests = client.requestStats.since(before)
        return result
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Virtual key secrets, kept in one JSON file (`{"key name": "secret"}`) with mode 0600.
public enum SecretsFile {
    public static func merge(_ secrets: [String: Secret], into path: String) throws {
        var existing: JSONObject = [:]
        if let data = FileManager.default.contents(atPath: path), let parsed = try? JSONValue.parse([UInt8](data)), let object = parsed.objectValue {
            existing = object
        }
        for (name, secret) in secrets { existing[name] = .string(secret.value) }
        try OutputDirectory.writeFile(path, contents: JSONValue.object(existing).prettyPrinted(), mode: 0o600)
    }
}
