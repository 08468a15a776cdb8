/// Collects mapping entries the way a Python dict does: a repeated key keeps its first position and its first key
/// object, and takes the last value.
///
/// ```swift
/// var builder = YAMLMappingBuilder()
/// builder.insert(YAMLPair(key: one, value: a))
/// builder.insert(YAMLPair(key: trueKey, value: b))   // same key as 1: the entry becomes (1, b)
/// ```
struct YAMLMappingBuilder {
    private(set) var pairs: [YAMLPair] = []
    private(set) var identities: [YAMLKeyIdentity] = []
    /// Built only once a mapping grows past a few entries; small mappings are scanned.
    private var index: [YAMLKeyIdentity: Int]?

    init(capacity: Int = 0) {
        pairs.reserveCapacity(capacity)
        identities.reserveCapacity(capacity)
    }

    /// The key must be hashable (checked by the caller, which knows where it is written).
    mutating func insert(_ pair: YAMLPair, identity: YAMLKeyIdentity) {
        if let position = find(identity) {
            pairs[position] = YAMLPair(key: pairs[position].key, value: pair.value)
            return
        }
        pairs.append(pair)
        identities.append(identity)
        if index != nil {
            index![identity] = pairs.count - 1
        } else if pairs.count > 12 {
            index = Dictionary(uniqueKeysWithValues: identities.enumerated().map { ($0.element, $0.offset) })
        }
    }

    private func find(_ identity: YAMLKeyIdentity) -> Int? {
        if let index { return index[identity] }
        return identities.firstIndex(of: identity)
    }
}
