/// How LiteLLM's default `simple-shuffle` router shares a model group's traffic, as integer percentages.
///
/// LiteLLM narrows the candidates to the lowest `order` (entries without `order` drop out when any has one), then
/// uses the first of these weight sets that has a positive value: `litellm_params.weight`, `rpm`, `tpm`; with none,
/// the split is uniform. Percentages are rounded with the largest-remainder method so they always sum to 100.
///
/// ```swift
/// let split = TrafficSplit(group)       // rpm 600 and 200 → [75, 25]
/// ```
public struct TrafficSplit: Sendable, Hashable {
    public enum Basis: String, Sendable, Hashable {
        case weight, rpm, tpm, equal
    }

    /// The deployments that get traffic, each with its share (sums to 100).
    public let shares: [(deployment: Int, percent: Int)]
    /// Deployments of the group held back as failover (a higher `order`, or no `order` while others have one).
    public let failover: [Int]
    public let basis: Basis

    public static func == (a: TrafficSplit, b: TrafficSplit) -> Bool {
        a.shares.map(\.deployment) == b.shares.map(\.deployment) && a.shares.map(\.percent) == b.shares.map(\.percent)
            && a.failover == b.failover && a.basis == b.basis
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(shares.map(\.deployment))
        hasher.combine(shares.map(\.percent))
        hasher.combine(failover)
        hasher.combine(basis)
    }

    /// What the split reads of a deployment: copied out once, so that grouping 10,000 deployments moves a few
    /// numbers instead of whole deployments.
    struct Candidate: Sendable {
        let index: Int
        let order: Int?
        let weight: Double?
        let rpm: Double?
        let tpm: Double?

        init(_ d: Deployment) {
            index = d.index
            order = d.order
            weight = d.weightValue
            rpm = d.rpmWeightValue
            tpm = d.tpmWeightValue
        }
    }

    /// - Parameter group: the deployments of one model group, in config order.
    public init(_ group: [Deployment]) {
        self.init(candidates: group.map(Candidate.init))
    }

    init<Group: Collection<Candidate>>(candidates group: Group) {
        if group.count == 1, let only = group.first {
            // Most groups have one deployment: what the general case below gives it, without its arrays.
            failover = []
            let weight: Double
            if let value = only.weight, value > 0 {
                (basis, weight) = (.weight, value)
            } else if let value = only.rpm, value > 0 {
                (basis, weight) = (.rpm, value)
            } else if let value = only.tpm, value > 0 {
                (basis, weight) = (.tpm, value)
            } else {
                (basis, weight) = (.equal, 1)
            }
            shares = [(only.index, weight.isFinite ? 100 : 0)]
            return
        }
        let candidates: [Candidate]
        if let lowest = group.compactMap(\.order).min() {
            candidates = group.filter { $0.order == lowest }
        } else {
            candidates = Array(group)
        }
        failover = group.filter { d in !candidates.contains { $0.index == d.index } }.map(\.index)

        let sets: [(Basis, [Double?])] = [
            (.weight, candidates.map(\.weight)), (.rpm, candidates.map(\.rpm)), (.tpm, candidates.map(\.tpm)),
        ]
        var chosen: (Basis, [Double])? = nil
        for (basis, values) in sets where values.contains(where: { ($0 ?? 0) > 0 }) {
            chosen = (basis, values.map { max($0 ?? 0, 0) })
            break
        }
        let (basis, weights) = chosen ?? (.equal, candidates.map { _ in 1.0 })
        self.basis = basis
        let percents = TrafficSplit.percentages(weights)
        shares = zip(candidates, percents).map { ($0.index, $1) }
    }

    /// Largest-remainder rounding of `weights` to whole percentages summing to 100; ties go to the earlier entry.
    static func percentages(_ weights: [Double]) -> [Int] {
        // Scale by the largest weight first (as LiteLLM 1.110 does), so that huge weights cannot overflow the sum.
        guard let largest = weights.max(), largest > 0, largest.isFinite else { return weights.map { _ in 0 } }
        let scaled = weights.map { $0 / largest }
        let total = scaled.reduce(0, +)
        let exact = scaled.map { $0 / total * 100 }
        var floors = exact.map { Int($0.rounded(.down)) }
        var remaining = 100 - floors.reduce(0, +)
        let byRemainder = exact.indices.sorted { a, b in
            let ra = exact[a] - Double(floors[a]), rb = exact[b] - Double(floors[b])
            return ra != rb ? ra > rb : a < b
        }
        for i in byRemainder where remaining > 0 {
            floors[i] += 1
            remaining -= 1
        }
        return floors
    }
}
