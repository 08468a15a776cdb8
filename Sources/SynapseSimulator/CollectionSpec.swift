import SynapseContract

/// Everything the simulator needs to serve one listed collection: its paths and schemas (from `ResourceKind` where
/// the controller manages the kind), its natural key, and how create and delete answer.
struct CollectionSpec: Sendable, Hashable {
    enum DeleteStyle: Sendable, Hashable {
        /// Removed; 204 with no body (integrations, providers, models).
        case remove
        /// Removed; 200 `SuccessResponse` (guardrails).
        case removeWithMessage
        /// Hidden from lists unless `includeDeleted=true`; 200 `{success, message}` (teams).
        case softDelete
        /// Status REVOKED, hidden from lists unless `includeInactive=true`; 200 `RevokeVirtualKeyResponse`.
        case revoke
    }

    let name: String
    let displayName: String
    let collectionPath: String
    let createSchema: String
    let updateSchema: String
    let responseSchema: String
    let listItemsField: String
    let naturalKeyFields: [String]
    let createStatus: Int
    let deleteStyle: DeleteStyle

    init(kind: ResourceKind, responseSchema: String, createStatus: Int, deleteStyle: DeleteStyle) {
        name = kind.rawValue
        displayName = kind.displayName
        collectionPath = kind.collectionPath
        createSchema = kind.createSchema
        updateSchema = kind.updateSchema
        self.responseSchema = responseSchema
        listItemsField = kind.listItemsField
        naturalKeyFields = kind.naturalKeyFields
        self.createStatus = createStatus
        self.deleteStyle = deleteStyle
    }

    /// Guardrails are served but not managed by the controller, so they have no `ResourceKind`.
    static let guardrail = CollectionSpec(
        name: "guardrail", displayName: "guardrail", collectionPath: "/api/v1/guardrails",
        createSchema: "CreateGuardrailRequest", updateSchema: "UpdateGuardrailRequest",
        responseSchema: "GuardrailResponse", listItemsField: "guardrails", naturalKeyFields: ["name"],
        createStatus: 200, deleteStyle: .removeWithMessage)

    private init(
        name: String, displayName: String, collectionPath: String, createSchema: String, updateSchema: String,
        responseSchema: String, listItemsField: String, naturalKeyFields: [String], createStatus: Int,
        deleteStyle: DeleteStyle
    ) {
        self.name = name
        self.displayName = displayName
        self.collectionPath = collectionPath
        self.createSchema = createSchema
        self.updateSchema = updateSchema
        self.responseSchema = responseSchema
        self.listItemsField = listItemsField
        self.naturalKeyFields = naturalKeyFields
        self.createStatus = createStatus
        self.deleteStyle = deleteStyle
    }

    static let integration = CollectionSpec(kind: .integration, responseSchema: "IntegrationResponse", createStatus: 201, deleteStyle: .remove)
    static let provider = CollectionSpec(kind: .provider, responseSchema: "ProviderResponse", createStatus: 201, deleteStyle: .remove)
    static let model = CollectionSpec(kind: .model, responseSchema: "ModelResponse", createStatus: 201, deleteStyle: .remove)
    static let team = CollectionSpec(kind: .team, responseSchema: "TeamResponse", createStatus: 200, deleteStyle: .softDelete)
    static let virtualKey = CollectionSpec(kind: .virtualKey, responseSchema: "VirtualKeyResponse", createStatus: 201, deleteStyle: .revoke)

    /// Every listed collection, in the order `/_sim/state` shows them.
    static let all: [CollectionSpec] = [.integration, .provider, .model, .team, .virtualKey, .guardrail]
}
