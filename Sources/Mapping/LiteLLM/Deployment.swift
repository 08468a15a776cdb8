/// One `model_list` entry: a deployment LiteLLM routes the public `model_name` to.
public struct Deployment: Sendable {
    public let index: Int
    /// `model_list[3]`: the YAML path used in the report.
    public let path: String
    public let location: SourceLocation
    /// The public name clients request (a model group); may contain `*`.
    public let modelName: String
    /// `litellm_params.model` as written (`azure/gpt-4o-eu`).
    public let model: String
    public let modelLocation: SourceLocation
    /// The LiteLLM provider, or nil when LiteLLM could not infer one (it drops such a deployment).
    public let provider: String?
    public let inference: ProviderCatalog.Inference?
    /// The name the provider is called with (`gpt-4o-eu`).
    public let underlyingModel: String
    /// `litellm_params`, with the values of its `litellm_credential_name` filled in where the entry has none.
    public let params: YAMLKeyedValues
    public let info: YAMLKeyedValues
    public let credentialName: String?
    public let rpm: Int?
    public let tpm: Int?
    /// Values LiteLLM's simple-shuffle reads for weights: a number, or nil when unset or text.
    public let weightValue: Double?
    public let rpmWeightValue: Double?
    public let tpmWeightValue: Double?
    public let order: Int?

    /// Python's `"*" in name` for the model name or model: a wildcard route. Tested once, when the deployment is
    /// read (on every core), as a byte search: Foundation's `contains` searches through `NSString` and took more
    /// time than the rest of a deployment's checks.
    public let isWildcard: Bool

    public func param(_ key: String) -> YAMLNode? { params[key] }

    private static func containsStar(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.contains(UInt8(ascii: "*")) }
    }

    init(_ node: YAMLNode, index: Int, credentials: [String: Credential], warnings: inout [MappingWarning]) throws(ConfigError) {
        let path = "model_list[\(index)]"
        self.index = index
        self.path = path
        location = node.location
        guard node.isMapping else {
            throw ConfigError("\(path) must be a mapping with model_name and litellm_params, found a \(node.kindName)", at: node.location, hint: "write - model_name: …, then litellm_params: with model: provider/name")
        }
        guard let nameNode = node["model_name"], !nameNode.scalarText.isEmpty else {
            throw ConfigError("\(path) has no model_name", at: node.location, hint: "add model_name: the name clients request")
        }
        modelName = try FieldReader.string(nameNode, "\(path).model_name")
        guard let paramsNode = node["litellm_params"] else {
            throw ConfigError("\(path) (\(modelName)) has no litellm_params", at: node.location, hint: "add litellm_params: with model: provider/name")
        }
        var params = YAMLKeyedValues(try FieldReader.mapping(paramsNode, "\(path).litellm_params"))
        guard let modelNode = params["model"], modelNode.value != .null else {
            throw ConfigError(
                "\(path) (\(modelName)) has no litellm_params.model", at: paramsNode.location,
                hint: "add model: provider/name, for example model: openai/gpt-4o")
        }
        model = try FieldReader.string(modelNode, "\(path).litellm_params.model")
        isWildcard = Deployment.containsStar(modelName) || Deployment.containsStar(model)
        modelLocation = modelNode.location

        credentialName = try params["litellm_credential_name"].map { n throws(ConfigError) in try FieldReader.string(n, "\(path).litellm_params.litellm_credential_name") }
        if let credentialName {
            guard let credential = credentials[credentialName] else {
                throw ConfigError(
                    "\(path) (\(modelName)) uses litellm_credential_name \"\(credentialName)\", which credential_list does not define",
                    at: params["litellm_credential_name"]?.location ?? paramsNode.location,
                    hint: "add it to credential_list or fix the name (defined: \(credentials.keys.sorted().joined(separator: ", ")))")
            }
            params.fallback = credential.values
        }
        self.params = params

        info = YAMLKeyedValues(try node["model_info"].map { n throws(ConfigError) in try FieldReader.mapping(n, "\(path).model_info") } ?? [])

        let customProvider = try params["custom_llm_provider"].map { n throws(ConfigError) in try FieldReader.string(n, "\(path).litellm_params.custom_llm_provider") }
        let apiBase = params["api_base"]?.stringValue
        if let inferred = ProviderCatalog.infer(model: model, customLLMProvider: customProvider, apiBase: apiBase) {
            provider = inferred.provider
            underlyingModel = inferred.underlyingModel
            inference = inferred.how
        } else {
            provider = nil
            underlyingModel = model
            inference = nil
        }

        // rpm/tpm may sit in litellm_params or beside it on the entry; litellm_params wins, as in LiteLLM.
        let rpmNode = params["rpm"] ?? node["rpm"]
        let tpmNode = params["tpm"] ?? node["tpm"]
        rpm = try rpmNode.flatMap { n throws(ConfigError) in try FieldReader.integer(n, "\(path).rpm") }
        tpm = try tpmNode.flatMap { n throws(ConfigError) in try FieldReader.integer(n, "\(path).tpm") }
        if let rpm, rpm < 0 { throw ConfigError("\(path).rpm is negative (\(rpm))", at: rpmNode?.location, hint: "use a positive number or remove it") }
        if let tpm, tpm < 0 { throw ConfigError("\(path).tpm is negative (\(tpm))", at: tpmNode?.location, hint: "use a positive number or remove it") }
        let weightNode = params["weight"]
        if let weightNode, let weight = try FieldReader.number(weightNode, "\(path).litellm_params.weight") {
            if weight < 0 {
                throw ConfigError("\(path).litellm_params.weight is negative", at: weightNode.location, hint: "weights are relative shares: use 0 or more")
            }
        }
        weightValue = Deployment.numericForWeights(weightNode)
        rpmWeightValue = Deployment.numericForWeights(rpmNode)
        tpmWeightValue = Deployment.numericForWeights(tpmNode)
        if case .string = rpmNode?.value {
            warnings.append(MappingWarning(
                "\(path).rpm is written as text; LiteLLM uses it as a rate limit but ignores it when splitting traffic",
                at: rpmNode?.location, hint: "write it without quotes"))
        }
        let orderNode = params["order"] ?? info["order"]
        order = try orderNode.flatMap { n throws(ConfigError) in try FieldReader.integer(n, "\(path).order") }
    }

    /// Simple-shuffle reads weights straight from the dict: only real numbers count, text counts as unset.
    private static func numericForWeights(_ node: YAMLNode?) -> Double? {
        switch node?.value {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }
}

/// A mapping's values by key text (`scalarText`), answering as a dictionary built from its entries would (the last
/// entry with a key wins), without building one: a deployment's dozen keys are found as fast by a scan, and the
/// entries stay shared with the YAML tree instead of being copied for each of 10,000 deployments.
public struct YAMLKeyedValues: Sendable {
    let pairs: [YAMLPair]
    /// Values for keys the entries lack (a deployment's credential values).
    var fallback: [String: YAMLNode] = [:]
    /// One bit per key signature (see `signature(of:)`) of the entries' keys. Most lookups ask for one of the
    /// dozens of optional keys a deployment does not have: a clear bit answers those without comparing strings.
    private let keySignatures: UInt64

    init(_ pairs: [YAMLPair]) {
        self.pairs = pairs
        var signatures: UInt64 = 0
        for pair in pairs {
            if case .string(let text) = pair.key.value {
                signatures |= YAMLKeyedValues.signature(of: text)
            } else {
                signatures |= YAMLKeyedValues.signature(of: pair.key.scalarText)
            }
        }
        keySignatures = signatures
    }

    /// A bit chosen by the key's length and first and last bytes; every bit for a non-ASCII key, since `String`'s
    /// `==` matches canonically equivalent spellings whose bytes differ (the Kelvin sign equals `K`).
    private static func signature(of key: String) -> UInt64 {
        var key = key
        // Through the contiguous bytes: iterating `utf8` byte by byte costs more than the lookups it saves.
        return key.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return 1 }
            // Eight bytes at a time: a byte ≥ 0x80 sets a high bit of its word.
            var high: UInt64 = 0
            var i = 0
            let raw = UnsafeRawBufferPointer(bytes)
            while i + 8 <= bytes.count {
                high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < bytes.count {
                high |= UInt64(bytes[i])
                i += 1
            }
            if high & 0x8080_8080_8080_8080 != 0 { return .max }
            return 1 << UInt64((bytes.count &* 31 &+ Int(first) &* 7 &+ Int(last)) & 63)
        }
    }

    public subscript(key: String) -> YAMLNode? {
        if keySignatures & YAMLKeyedValues.signature(of: key) != 0 {
            for pair in pairs.reversed() {
                if case .string(let text) = pair.key.value {
                    if text == key { return pair.value }
                } else if pair.key.scalarText == key {
                    return pair.value
                }
            }
        }
        return fallback.isEmpty ? nil : fallback[key]
    }
}
