import SynapseContract

/// What the gateway should hold, computed from one LiteLLM config: the input of every diff and of `plan`.
///
/// ```swift
/// let result = try MappingPipeline.map(configPath: "config.yaml", source: LocalFileSource())
/// for object in result.desired.objects where object.kind == .model { print(object.key) }
/// ```
public struct DesiredState: Sendable, Hashable {
    /// Objects in apply order (parents first), each kind sorted by natural key.
    public let objects: [DesiredObject]
    /// The tenant whose rate-limit tier the config sets.
    public let tenant: String
    /// Every environment variable the objects reference (`os.environ/NAME`), with where each is used, in object
    /// order: found once, when the state is made, for the several readers of a plan.
    public let environmentReferences: [EnvironmentUse]

    public init(objects: [DesiredObject], tenant: String) {
        // Sorting positions and then gathering once moves integers instead of whole objects (each move of an
        // object retains and releases its five reference-counted fields). `sorted` is stable either way.
        let order = objects.indices.sorted { DesiredState.precedes(objects, $0, $1) }
        self.objects = order.map { objects[$0] }
        self.tenant = tenant
        environmentReferences = DesiredState.environmentReferences(in: self.objects[...])
    }

    /// A state whose objects are in order already and whose references were found on the way (the mapping finds
    /// those of most objects on a core that would otherwise wait).
    init(ordered objects: [DesiredObject], tenant: String, environmentReferences: [EnvironmentUse]) {
        assert(objects.indices.dropFirst().allSatisfy { !DesiredState.precedes(objects, $0, $0 - 1) })
        self.objects = objects
        self.tenant = tenant
        self.environmentReferences = environmentReferences
    }

    /// The order objects are kept in: kinds in apply order, each by natural key. By position, so that comparing
    /// does not copy objects.
    private static func precedes(_ objects: [DesiredObject], _ a: Int, _ b: Int) -> Bool {
        (objects[a].kind, objects[a].key) < (objects[b].kind, objects[b].key)
    }

    public func objects(of kind: ResourceKind) -> [DesiredObject] { Array(objects[range(of: kind)]) }

    /// How many objects of `kind` there are.
    public func count(of kind: ResourceKind) -> Int { range(of: kind).count }

    /// Where the objects of `kind` are: they are sorted by kind, so two binary searches find them.
    func range(of kind: ResourceKind) -> Range<Int> {
        let start = firstIndex { $0.kind >= kind }
        let end = firstIndex { $0.kind > kind }
        return start..<max(start, end)
    }

    public func object(_ ref: ObjectRef) -> DesiredObject? {
        // Sorted by (kind, key): the first object not before `ref` is it, if it is there.
        let index = firstIndex { !(($0.kind, $0.key) < (ref.kind, ref.key)) }
        guard index < objects.count, objects[index].kind == ref.kind, objects[index].key == ref.key else { return nil }
        return objects[index]
    }

    /// The first index whose object satisfies `isAtOrPast`, which must be false then true along the sorted list.
    private func firstIndex(where isAtOrPast: (DesiredObject) -> Bool) -> Int {
        var low = 0
        var high = objects.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrPast(objects[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The environment variables `objects` reference, in their order, with where each is used.
    static func environmentReferences(in objects: ArraySlice<DesiredObject>) -> [EnvironmentUse] {
        var uses: [EnvironmentUse] = []
        // By index: `objects[i].fields` reads one field of the stored object, where `for object in objects` would
        // copy (retain and release) all of each object's fields.
        for i in objects.indices {
            if !objects[i].secrets.isEmpty {
                for (field, source) in objects[i].secrets.sorted(by: { $0.key < $1.key }) {
                    if case .environment(let name) = source {
                        uses.append(EnvironmentUse(variable: name, object: objects[i].ref, field: field, source: objects[i].sources.first))
                    }
                }
            }
            // Most objects reference nothing in their fields: check that before building any field path.
            guard objects[i].fields.contains(where: { $0.value.mayHoldEnvironmentReference }) else { continue }
            let object = objects[i]
            object.fields.forEachEnvironmentReference(path: "") { name, path in
                uses.append(EnvironmentUse(variable: name, object: object.ref, field: path, source: object.sources.first))
            }
        }
        return uses
    }
}

/// One gateway object the config asks for.
public struct DesiredObject: Sendable, Hashable {
    public let kind: ResourceKind
    /// The natural key (`ResourceKind.naturalKey(of:)` of the request body): how it is found again on every run.
    public let key: String
    /// The request body without links and secrets. Values that come from the environment stay as
    /// `"os.environ/NAME"` strings until apply time.
    public var fields: JSONObject
    /// Fields that hold another object's gateway id (`integrationId` → the integration), filled in at apply time.
    public var links: [String: ObjectRef]
    /// Write-only secret fields (an integration's `apiKey`) and where their values come from.
    public var secrets: [String: SecretSource]
    /// Where in the config this object comes from.
    public var sources: [SourceLocation]

    public init(
        kind: ResourceKind, key: String, fields: JSONObject, links: [String: ObjectRef] = [:],
        secrets: [String: SecretSource] = [:], sources: [SourceLocation] = []
    ) {
        self.kind = kind
        self.key = key
        self.fields = fields
        self.links = links
        self.secrets = secrets
        self.sources = sources
    }

    public var ref: ObjectRef { ObjectRef(kind: kind, key: key) }
}

/// A reference to another object by kind and natural key.
public struct ObjectRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let kind: ResourceKind
    public let key: String

    public init(kind: ResourceKind, key: String) {
        self.kind = kind
        self.key = key
    }

    public var description: String { "\(kind.displayName) \(key)" }

    public static func < (a: ObjectRef, b: ObjectRef) -> Bool { (a.kind, a.key) < (b.kind, b.key) }
}

/// Where a secret's value comes from. A literal (written in the config) never prints itself.
public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
    /// `os.environ/NAME` in the config: read from the environment at apply time.
    case environment(String)
    /// A value written in the config itself (discouraged; the report warns).
    case literal(Secret)
    /// The config has no secret for this field (for example a local Ollama); an empty value is sent.
    case none

    public var description: String {
        switch self {
        case .environment(let name): return "os.environ/\(name)"
        case .literal: return "(literal in config, sensitive)"
        case .none: return "(none)"
        }
    }
}

/// One use of an environment variable by a desired object.
public struct EnvironmentUse: Sendable, Hashable {
    public let variable: String
    public let object: ObjectRef
    public let field: String
    public let source: SourceLocation?
}

extension JSONObject {
    /// Visits every `"os.environ/NAME"` string, with the dotted path of the field holding it.
    func forEachEnvironmentReference(path: String, _ visit: (String, String) -> Void) {
        for (key, value) in self {
            value.forEachEnvironmentReference(path: path.isEmpty ? key : path + "." + key, visit)
        }
    }
}

extension JSONValue {
    /// False when no string in the value starts with the bytes `os.environ/` (a reference always does).
    var mayHoldEnvironmentReference: Bool {
        switch self {
        // The first byte rules out nearly every string before the prefix is compared.
        case .string(let s): return s.utf8.first == UInt8(ascii: "o") && s.utf8.starts(with: EnvironmentReference.prefix.utf8)
        case .object(let o): return o.contains(where: { $0.value.mayHoldEnvironmentReference })
        case .array(let items): return items.contains(where: { $0.mayHoldEnvironmentReference })
        default: return false
        }
    }

    func forEachEnvironmentReference(path: String, _ visit: (String, String) -> Void) {
        switch self {
        case .string(let s):
            if let name = EnvironmentReference.variableName(in: s) { visit(name, path) }
        case .object(let o):
            o.forEachEnvironmentReference(path: path, visit)
        case .array(let items):
            for (i, item) in items.enumerated() { item.forEachEnvironmentReference(path: "\(path)[\(i)]", visit) }
        default:
            break
        }
    }
}
