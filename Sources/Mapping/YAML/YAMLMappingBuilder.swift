/// Collects one mapping's entries the way a Python dict does: a repeated key keeps its first position and its
/// first key object, and takes the last value. Keys compare as Python compares them (see ``YAMLKeyIdentity``).
///
/// The entries live in a storage array shared by all open mappings (this one's start at `start`), so building a
/// mapping allocates its final array once instead of growing one per mapping.
///
/// ```swift
/// var storage: [YAMLPair] = []
/// var builder = YAMLMappingBuilder(start: storage.count)
/// builder.insert(YAMLPair(key: one, value: a), into: &storage)
/// builder.insert(YAMLPair(key: trueKey, value: b), into: &storage)   // same key as 1: the entry becomes (1, b)
/// ```
struct YAMLMappingBuilder {
    let start: Int
    /// Positions in the storage by key, built only once a mapping grows past a few entries; small ones are scanned.
    private var index: [YAMLKeyIdentity: Int]?

    init(start: Int) {
        self.start = start
    }

    /// The key must be hashable (checked by the caller, which knows where it is written).
    mutating func insert(_ pair: YAMLPair, into storage: inout [YAMLPair]) {
        if let position = find(pair.key.value, in: storage) {
            storage[position] = YAMLPair(key: storage[position].key, value: pair.value)
            return
        }
        storage.append(pair)
        if index != nil {
            if let identity = YAMLKeyIdentity(pair.key.value) { index![identity] = storage.count - 1 }
        } else if storage.count - start > 12 {
            var built: [YAMLKeyIdentity: Int] = [:]
            for position in start..<storage.count {
                if let identity = YAMLKeyIdentity(storage[position].key.value) { built[identity] = position }
            }
            index = built
        }
    }

    private func find(_ key: YAMLNode.Value, in storage: [YAMLPair]) -> Int? {
        if let index { return YAMLKeyIdentity(key).flatMap { index[$0] } }
        if case .string(let text) = key {
            // The common case, without building identities: strings equal by their bytes.
            var position = start
            while position < storage.count {
                if case .string(let other) = storage[position].key.value, YAMLKeyIdentity.sameBytes(text, other) {
                    return position
                }
                position += 1
            }
            return nil
        }
        let identity = YAMLKeyIdentity(key)
        return (start..<storage.count).first { YAMLKeyIdentity(storage[$0].key.value) == identity }
    }
}
