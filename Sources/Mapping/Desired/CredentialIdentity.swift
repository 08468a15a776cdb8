import SynapseContract

/// What makes two deployments share one Synapse integration: the provider, the key reference and the endpoint
/// (with the few connection settings that select a different account or region).
///
/// The integration's name is derived from these alone, so it is the same on every run and on every machine:
/// `<provider>-<credential_name>` for a `credential_list` credential, else `<provider>-<8 hex digits>` of a hash of the
/// identity. A literal key enters the hash only as its own SHA-256, never as text.
struct CredentialIdentity {
    let provider: String
    let secret: SecretSource
    let endpoint: String?
    let settings: JSONObject
    let credentialName: String?

    /// Deployment settings that select an account, region or API version (LiteLLM name → integration config field).
    static let settingFields: [(String, String)] = [
        ("api_version", "apiVersion"), ("organization", "organization"), ("aws_region_name", "awsRegionName"),
        ("region_name", "awsRegionName"), ("aws_access_key_id", "awsAccessKeyId"), ("aws_role_name", "awsRoleName"),
        ("aws_profile_name", "awsProfileName"), ("vertex_project", "vertexProject"), ("vertex_ai_project", "vertexProject"),
        ("vertex_location", "vertexLocation"), ("vertex_ai_location", "vertexLocation"), ("project_id", "projectId"),
        ("deployment_id", "deploymentId"),
    ]

    /// Where each provider keeps its secret, in the order LiteLLM reads them.
    static let secretFields = ["api_key", "aws_secret_access_key", "vertex_credentials", "azure_ad_token", "client_secret"]

    init(_ d: borrowing Deployment, provider: String) throws(ConfigError) {
        self.provider = provider
        credentialName = d.credentialName
        var secret = SecretSource.none
        for field in CredentialIdentity.secretFields {
            guard let node = d.param(field), node.value != .null else { continue }
            if case .mapping = node.value {
                // vertex_credentials may be an inline service-account object: a secret as a whole.
                secret = .literal(Secret(node.json.serialized()))
            } else {
                let text = try FieldReader.string(node, "\(d.path).litellm_params.\(field)")
                secret = EnvironmentReference.variableName(in: text).map(SecretSource.environment) ?? .literal(Secret(text))
            }
            break
        }
        self.secret = secret
        endpoint = try (d.param("api_base") ?? d.param("base_url")).map { n throws(ConfigError) in try FieldReader.string(n, "\(d.path).litellm_params.api_base") }
        var settings: JSONObject = ["litellmProvider": .string(provider)]
        for (source, target) in CredentialIdentity.settingFields where settings[target] == nil {
            if let node = d.param(source), node.value != .null {
                settings[target] = .string(try FieldReader.string(node, "\(d.path).litellm_params.\(source)"))
            }
        }
        self.settings = settings
    }

    /// The integration's name, remembering names by identity text: 10,000 deployments usually share a few dozen
    /// identities, and the SHA-256 is the costly part.
    func integrationName(cache: inout [String: String]) -> String {
        if let credentialName { return CredentialIdentity.slug("\(provider)-\(credentialName)") }
        let secretIdentity: String
        switch secret {
        case .environment(let name): secretIdentity = "env:" + name
        case .literal(let value): secretIdentity = "sha256:" + SHA256.hex(Array(value.value.utf8))
        case .none: secretIdentity = "none"
        }
        var identity = "provider=\(provider)\nsecret=\(secretIdentity)\nendpoint=\(endpoint ?? "")"
        for (key, value) in settings where key != "litellmProvider" {  // members are sorted by key
            identity += "\n\(key)=\(value.stringValue ?? "")"
        }
        if let known = cache[identity] { return known }
        let digest = SHA256.hex(Array(identity.utf8))
        let name = CredentialIdentity.slug("\(provider)-\(digest.prefix(8))")
        cache[identity] = name
        return name
    }

    func integration(mapping: ProviderMapping, name: String) -> DesiredObject {
        var what = "LiteLLM \(provider) credential"
        if let credentialName { what += " \(credentialName)" }
        switch secret {
        case .environment(let variable): what += ", key from os.environ/\(variable)"
        case .literal: what += ", key written in the config"
        case .none: what += ", no key in the config"
        }
        var fields: JSONObject = [
            "name": .string(name), "providerType": .string(mapping.integrationType),
            "description": .string(Ownership.markedDescription(what)), "config": .object(settings),
        ]
        if let endpoint { fields["endpointUrl"] = .string(endpoint) }
        return DesiredObject(kind: .integration, key: name, fields: fields, secrets: ["apiKey": secret])
    }

    /// Lower-case letters, digits and single dashes, at most 63 characters: safe as a name, slug and path segment.
    static func slug(_ text: String) -> String {
        var out = ""
        var lastWasDash = true
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                out.append("-")
                lastWasDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(63))
    }
}
