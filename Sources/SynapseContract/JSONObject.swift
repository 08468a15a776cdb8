/// The members of a JSON object, kept sorted by key.
///
/// Request bodies, payload entries and gateway records have a handful of keys each, and a plan holds tens of
/// thousands of them: a sorted array is a third of a dictionary's size, needs no hashing, and is already in the
/// order every rendering writes (keys sorted, so output is byte-stable across runs). It reads like a dictionary:
///
/// ```swift
/// var body: JSONObject = ["name": "openai-default"]
/// body["priority"] = 0
/// body["name"]            // .string("openai-default")
/// ```
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)

    /// Sorted by key with `String`'s `<`, one member per key.
    public private(set) var members: [Element]

    public init() { members = [] }

    /// Members in any order; for a repeated key the last one wins (as assigning them one by one would).
    public init<S: Sequence>(_ members: S) where S.Element == (key: String, value: JSONValue) {
        var sorted = Array(members)
        if sorted.count <= 16 {
            // Insertion sort: objects are small, and it is stable (a later member with the same key stays later).
            for i in sorted.indices.dropFirst() {
                var j = i
                while j > 0 && sorted[j].key < sorted[j - 1].key {
                    sorted.swapAt(j, j - 1)
                    j -= 1
                }
            }
        } else {
            sorted = sorted.enumerated().sorted { a, b in a.element.key != b.element.key ? a.element.key < b.element.key : a.offset < b.offset }.map(\.element)
        }
        // The last member with a key wins, as assigning them one by one would.
        var unique = 0
        for i in sorted.indices {
            if unique > 0 && sorted[unique - 1].key == sorted[i].key {
                sorted[unique - 1] = sorted[i]
            } else {
                if unique != i { sorted[unique] = sorted[i] }
                unique += 1
            }
        }
        sorted.removeLast(sorted.count - unique)
        self.members = sorted
    }

    public init(_ dictionary: [String: JSONValue]) {
        members = dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }
    public var values: [JSONValue] { members.map(\.value) }

    public func makeIterator() -> IndexingIterator<[Element]> { members.makeIterator() }

    /// Where `key` is, or where it would go.
    private func position(of key: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = members[middle].key
            if candidate == key { return (middle, true) }
            if candidate < key { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    public subscript(key: String) -> JSONValue? {
        get {
            // Not `found ? value : nil`: JSONValue is ExpressibleByNilLiteral, so that `nil` would be `.null`.
            let (index, found) = position(of: key)
            if found { return members[index].value }
            return Optional.none
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?):
                // A few members more at a time, not double: objects are small, a plan keeps tens of thousands of
                // them, and a doubled array would be up to half empty.
                if members.count == members.capacity && members.count < 32 { members.reserveCapacity(members.count + 3) }
                members.insert((key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let (index, found) = position(of: key)
        if found { return members.remove(at: index).value }
        return Optional.none
    }

    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var copy = self
        for i in copy.members.indices { copy.members[i].value = try transform(copy.members[i].value) }
        return copy
    }

    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> JSONObject {
        var copy = JSONObject()
        copy.members = try members.filter(isIncluded)
        return copy
    }

    /// Adds `other`'s members; where both have a key, `combine` picks the value.
    public mutating func merge(_ other: JSONObject, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue) rethrows {
        for member in other.members {
            if let current = self[member.key] {
                self[member.key] = try combine(current, member.value)
            } else {
                self[member.key] = member.value
            }
        }
    }

    public func merging(_ other: JSONObject, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var copy = self
        try copy.merge(other, uniquingKeysWith: combine)
        return copy
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}
