import Diff
import FoundationEssentials
import Glibc
import Mapping
import SynapseContract

/// What happened to one change.
public struct ChangeResult: Sendable {
    public enum Outcome: Sendable, Hashable {
        case succeeded
        /// The create's response was lost but the object was found by its natural key: not created twice.
        case recovered
        case failed(String)
        /// Not attempted because an object it depends on failed.
        case skipped(String)
    }

    public let change: Change
    public let outcome: Outcome
    public let seconds: Double

    public var failed: Bool { if case .failed = outcome { return true }; return false }
    /// Done on the gateway: succeeded, or recovered (the object was found by its natural key after a lost response).
    public var applied: Bool { outcome == .succeeded || outcome == .recovered }
}

/// Executes a `Plan` against the gateway: parents before children, independent changes concurrently, dependants
/// of a failed change skipped (and reported), everything else still attempted.
struct Applier {
    let client: GatewayClient
    let secrets: [ObjectRef: [String: Secret]]
    /// Gateway ids of objects that already exist, by natural key.
    var ids: [ObjectRef: String]
    /// Called after each change (progress display).
    let progress: @Sendable (ChangeResult) -> Void

    /// Results in plan order, and the secrets of virtual keys created in this pass.
    mutating func apply(_ plan: Plan) async -> (results: [ChangeResult], keySecrets: [String: Secret]) {
        var results: [Int: ChangeResult] = [:]
        var keySecrets: [String: Secret] = [:]
        var failed: Set<ObjectRef> = []
        var pending = Array(plan.changes.indices)
        let deleting = Set(plan.changes.filter { $0.action == .delete }.map(\.ref))

        // Rounds: every change whose dependencies are settled runs; deletes wait until no create/update is pending.
        while !pending.isEmpty {
            let pendingRefs = Set(pending.map { plan.changes[$0].ref })
            var ready: [Int] = []
            var stillPending: [Int] = []
            for index in pending {
                let change = plan.changes[index]
                if let blocker = change.dependsOn.first(where: { failed.contains($0) }) {
                    results[index] = ChangeResult(change: change, outcome: .skipped("\(blocker) failed"), seconds: 0)
                    failed.insert(change.ref)
                    progress(results[index]!)
                    continue
                }
                let waitsForParent = change.dependsOn.contains { pendingRefs.contains($0) && $0 != change.ref }
                let waitsForWrites = change.action == .delete && pending.contains { plan.changes[$0].action != .delete }
                let waitsForChildren = change.action == .delete
                    && pending.contains { plan.changes[$0].action == .delete && plan.changes[$0].ref.kind > change.ref.kind }
                if waitsForParent || waitsForWrites || waitsForChildren { stillPending.append(index) } else { ready.append(index) }
            }
            if ready.isEmpty && !stillPending.isEmpty {
                // A dependency cycle cannot come from the mapping; fail them rather than loop.
                for index in stillPending {
                    results[index] = ChangeResult(change: plan.changes[index], outcome: .failed("depends on an object that is not created"), seconds: 0)
                }
                break
            }
            let round = await runConcurrently(ready.map { plan.changes[$0] }, deleting: deleting)
            for (offset, index) in ready.enumerated() {
                let (result, createdID, secret) = round[offset]
                results[index] = result
                if result.failed { failed.insert(result.change.ref) }
                if let createdID { ids[result.change.ref] = createdID }
                if let secret { keySecrets[result.change.ref.key] = secret }
                progress(result)
            }
            pending = stillPending
        }
        return (plan.changes.indices.compactMap { results[$0] }, keySecrets)
    }

    private func runConcurrently(_ changes: [Change], deleting: Set<ObjectRef>) async -> [(ChangeResult, String?, Secret?)] {
        let limit = max(1, client.options.concurrency)
        return await withTaskGroup(of: (Int, ChangeResult, String?, Secret?).self) { group in
            var out = [(ChangeResult, String?, Secret?)?](repeating: nil, count: changes.count)
            var next = 0
            func add(_ group: inout TaskGroup<(Int, ChangeResult, String?, Secret?)>) {
                let index = next
                let change = changes[index]
                let body = prepared(change)
                group.addTask { [client] in
                    let start = ContinuousClock.now
                    let (outcome, id, secret) = await Applier.execute(change, body: body, client: client)
                    let elapsed = ContinuousClock.now - start
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    return (index, ChangeResult(change: change, outcome: outcome, seconds: seconds), id, secret)
                }
                next += 1
            }
            while next < min(limit, changes.count) { add(&group) }
            for await (index, result, id, secret) in group {
                out[index] = (result, id, secret)
                if next < changes.count { add(&group) }
            }
            return out.map { $0! }
        }
    }

    /// The request body with link ids and secrets filled in (environment references were resolved before the diff).
    private func prepared(_ change: Change) -> Result<JSONValue, ApplyError> {
        var body = change.body
        for (field, ref) in change.links {
            guard let id = ids[ref] else { return .failure(ApplyError("\(ref) has no gateway id (it was not created)")) }
            body[field] = .string(id)
        }
        for field in change.secretFields {
            guard let value = secrets[change.ref]?[field] else { return .failure(ApplyError("the value of \(field) is not available")) }
            body[field] = .string(value.value)
        }
        return .success(.object(body))
    }

    struct ApplyError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private static func execute(
        _ change: Change, body: Result<JSONValue, ApplyError>, client: GatewayClient
    ) async -> (ChangeResult.Outcome, String?, Secret?) {
        let kind = change.ref.kind
        do {
            switch change.action {
            case .delete:
                try await client.delete(kind, id: change.id ?? "")
                return (.succeeded, nil, nil)
            case .update:
                let payload = try body.get()
                _ = try await client.update(kind, id: change.id ?? change.ref.key, body: payload)
                return (.succeeded, change.id, nil)
            case .create, .replace:
                let payload = try body.get()
                if change.action == .replace, let id = change.id { try await client.delete(kind, id: id) }
                let outcome = try await client.create(kind, body: payload)
                let id = outcome.object["id"]?.stringValue ?? (kind == .rateLimitTier ? change.ref.key : nil)
                if kind == .virtualKey, outcome.secretLost {
                    return (.failed("the virtual key was created but its secret was lost with the response; rotate it (POST /api/v1/virtual-keys/\(id ?? "?")/rotate)"), id, nil)
                }
                return (outcome.recoveredAfterUnknownOutcome ? .recovered : .succeeded, id, outcome.secret)
            }
        } catch let error as ApplyError {
            return (.failed(error.message), nil, nil)
        } catch {
            return (.failed("\(error)"), nil, nil)
        }
    }
}
