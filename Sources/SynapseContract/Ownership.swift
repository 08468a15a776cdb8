/// How the controller marks what it created, so it never changes or deletes anything else.
///
/// Every object kind with a `description` carries `marker` at the end of it. The routing config is a singleton
/// shared with people: only rules carrying `ruleOwnerField: ruleOwnerValue` are the controller's.
public enum Ownership {
    public static let marker = "[managed-by:litellm-synapse]"
    public static let ruleOwnerField = "managedBy"
    public static let ruleOwnerValue = "litellm-synapse"
    /// The object inside an integration's free `config` where the controller keeps its bookkeeping
    /// (the non-reversible fingerprint of the API key, which reads never return).
    public static let integrationConfigField = "litellmSynapse"

    /// `description` text with the marker appended (once).
    public static func markedDescription(_ text: String) -> String {
        if text.hasSuffix(marker) { return text }
        return text.isEmpty ? marker : text + " " + marker
    }

    /// Whether an object read from the gateway was created by this controller.
    public static func isOwned(kind: ResourceKind, fields: JSONObject) -> Bool {
        switch kind {
        case .routingConfig, .rateLimitTier:
            return true  // singletons: managed exactly when the config declares them
        default:
            return fields["description"]?.stringValue?.hasSuffix(marker) ?? false
        }
    }
}
