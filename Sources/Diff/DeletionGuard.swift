/// Refuses prunes that look like an emptied or truncated config rather than an intended removal.
///
/// A pass may delete at most `maxShare` of the objects the controller owns (default 25 %), but never all of them;
/// up to `freeDeletes` deletions (default 3) are always allowed unless they are all of them. `--allow-mass-delete`
/// lifts the guard for one run.
public struct DeletionGuard: Sendable, Hashable {
    public var maxShare: Double
    public var freeDeletes: Int

    public init(maxShare: Double = 0.25, freeDeletes: Int = 3) {
        self.maxShare = maxShare
        self.freeDeletes = freeDeletes
    }

    /// nil when the plan's deletions are within bounds, else the reason to refuse.
    public func refusal(for plan: Plan) -> String? {
        let deletes = plan.count(.delete)
        guard deletes > 0 else { return nil }
        if deletes >= plan.ownedCount {
            return "the plan deletes all \(plan.ownedCount) objects litellm-synapse owns on the gateway; an emptied or truncated config looks like this. Check the config; if this is intended, run again with --allow-mass-delete"
        }
        if deletes > freeDeletes, Double(deletes) > maxShare * Double(plan.ownedCount) {
            let percent = Int((maxShare * 100).rounded())
            return "the plan deletes \(deletes) of \(plan.ownedCount) owned objects, more than \(percent)% in one pass. Check the config; if this is intended, run again with --allow-mass-delete"
        }
        return nil
    }
}
