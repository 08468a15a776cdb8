import Mapping
import SynapseContract

/// One object as the gateway returned it.
public struct ActualObject: Sendable, Hashable {
    public let kind: ResourceKind
    /// Natural key (`ResourceKind.naturalKey(of:)`).
    public let key: String
    /// The gateway's id (for the tier: the tenant id; for the routing config: "routing").
    public let id: String
    /// The read response's fields.
    public let fields: JSONObject

    public init(kind: ResourceKind, key: String, id: String, fields: JSONObject) {
        self.kind = kind
        self.key = key
        self.id = id
        self.fields = fields
    }

    /// Builds an object from a list/read response; nil when the response lacks its natural key.
    public init?(kind: ResourceKind, response fields: JSONObject) {
        guard let key = kind.naturalKey(of: fields) else { return nil }
        let id: String?
        switch kind {
        case .routingConfig: id = "routing"
        case .rateLimitTier: id = fields["tenantId"]?.stringValue
        default: id = fields["id"]?.stringValue
        }
        guard let id else { return nil }
        self.init(kind: kind, key: key, id: id, fields: fields)
    }

    public var ref: ObjectRef { ObjectRef(kind: kind, key: key) }

    /// Created by this controller (carries the ownership marker).
    public var isOwned: Bool { Ownership.isOwned(kind: kind, fields: fields) }
}

/// Everything the gateway holds of the kinds the controller manages.
public struct ActualState: Sendable, Hashable {
    public let objects: [ActualObject]
    private let index: [ObjectRef: Int]

    public init(objects: [ActualObject]) {
        self.objects = objects
        var index: [ObjectRef: Int] = [:]
        // Two gateway objects with one natural key: keep the first; the diff reports the duplicate.
        for (i, object) in objects.enumerated() where index[object.ref] == nil { index[object.ref] = i }
        self.index = index
    }

    public func object(_ ref: ObjectRef) -> ActualObject? { index[ref].map { objects[$0] } }


    /// Natural keys held by more than one gateway object (never created by this controller, which looks first).
    public var duplicateKeys: [ObjectRef] {
        var seen: [ObjectRef: Int] = [:]
        for object in objects { seen[object.ref, default: 0] += 1 }
        return seen.filter { $0.value > 1 }.map(\.key).sorted()
    }
}
