import FoundationEssentials
import Glibc
import Synchronization
import SynapseContract

/// The Synapse management API, one verb per call: list (all pages), get a singleton, create, update, delete.
///
/// Every call retries what can succeed later (429, 500/502/503/504, lost connections) with backoff, and never what
/// cannot (400, 401, 403, 404, 409). A create whose outcome is unknown looks for the object by its natural key before
/// trying again, so one desired object never becomes two. Deleting what is already gone succeeds.
///
/// ```swift
/// let client = try GatewayClient(options: GatewayOptions(baseURL: url, apiKey: key))
/// let teams = try await client.list(.team)
/// let made = try await client.create(.team, body: ["name": "research", "description": "…"])
/// try await client.delete(.team, id: made.object["id"]?.stringValue ?? "")
/// ```
public final class GatewayClient: Sendable {
    public let options: GatewayOptions
    private let baseURL: String
    private let transport: HTTPTransport
    private let stats = Mutex(RequestStats())

    /// Page size for lists: the contract's maximum.
    static let pageSize = 100
    /// A safety stop for a gateway whose `totalPages` never ends.
    static let maxPages = 10_000

    public init(options: GatewayOptions) throws(GatewayError) {
        var base = options.baseURL.trimmingWhitespace()
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), base.count > "https://".count else {
            throw GatewayError(
                method: "", path: "",
                message: "gateway URL '\(options.baseURL)' must start with http:// or https:// and name a host")
        }
        self.options = options
        baseURL = base
        transport = HTTPTransport(
            options: HTTPTransportOptions(
                maxConcurrentRequests: options.concurrency, connectTimeoutSeconds: options.connectTimeoutSeconds,
                timeoutSeconds: options.timeoutSeconds, caFile: options.caFile, userAgent: options.userAgent))
    }

    public var requestStats: RequestStats { stats.withLock { $0 } }

    // MARK: - Verbs

    /// Every object of `kind`, following pages to the last. The routing config lists as its one object.
    public func list(_ kind: ResourceKind) async throws(GatewayError) -> [JSONObject] {
        if kind.isSingleton { return try await getSingleton(kind, id: nil).map { [$0] } ?? [] }
        guard kind.isPaged else {
            let page = try await call("GET", kind.collectionPath)
            return try items(of: page, kind: kind, path: kind.collectionPath)
        }
        var all: [JSONObject] = []
        var seenIDs: Set<String> = []
        var pageNumber = 1
        while pageNumber <= Self.maxPages {
            let path = kind.collectionPath + "?page=\(pageNumber)&pageSize=\(Self.pageSize)"
            let page = try await call("GET", path)
            let pageItems = try items(of: page, kind: kind, path: path)
            // Objects created or deleted while paging shift pages; never report one object twice.
            for item in pageItems {
                if let id = item["id"]?.stringValue, !seenIDs.insert(id).inserted { continue }
                all.append(item)
            }
            let totalPages = page["totalPages"]?.intValue ?? pageNumber
            if pageItems.isEmpty || pageNumber >= totalPages { break }
            pageNumber += 1
        }
        return all
    }

    /// The routing config (`id` nil), or one tenant's rate-limit tier (`id` = tenant id). Nil when absent (404).
    /// A tenant without an assigned tier reads as the default tier with `explicit: false`, not as nil.
    public func getSingleton(_ kind: ResourceKind, id: String?) async throws(GatewayError) -> JSONObject? {
        let path = try singletonPath(kind, id: id, method: "GET")
        do {
            return try await call("GET", path)
        } catch where error.isNotFound {
            return nil
        }
    }

    /// Creates one object: POST on the collection, or PUT on the item path for the routing config and tiers (whose
    /// natural key, the tenant id, moves from `body` into the path).
    public func create(_ kind: ResourceKind, body: JSONValue) async throws(GatewayError) -> CreateOutcome {
        guard kind.createsWithPost else {
            let key = kind.naturalKey(of: body.objectValue ?? [:])
            let path = try singletonPath(kind, id: kind.isSingleton ? nil : key, method: "PUT")
            return CreateOutcome(object: try await call("PUT", path, body: bodyWithoutPathKey(kind, body)))
        }
        return try await createWithPost(kind, body: body)
    }

    /// Replaces one object's fields (PUT on its item path) and returns it as the gateway now has it.
    public func update(_ kind: ResourceKind, id: String, body: JSONValue) async throws(GatewayError)
        -> JSONObject
    {
        try await call("PUT", kind.itemPath(id: id), body: bodyWithoutPathKey(kind, body))
    }

    /// Deletes one object (for a virtual key: revokes it). An object already gone counts as deleted.
    public func delete(_ kind: ResourceKind, id: String) async throws(GatewayError) {
        do {
            _ = try await call("DELETE", kind.itemPath(id: id))
        } catch where error.isNotFound {
            return
        }
    }

    // MARK: - Create with an unknown outcome

    private func createWithPost(_ kind: ResourceKind, body: JSONValue) async throws(GatewayError) -> CreateOutcome {
        let path = kind.collectionPath
        let naturalKey = kind.naturalKey(of: body.objectValue ?? [:])
        let started = ContinuousClock.now
        var attempt = 0
        var outcomeUnknown = false
        while true {
            attempt += 1
            // The last POST may have created the object: look before posting again.
            if outcomeUnknown, let naturalKey, let existing = try await find(kind, naturalKey: naturalKey) {
                return recovered(existing)
            }
            let error: GatewayError
            let delay: Double?
            let mayHaveCreated: Bool
            switch await attemptOnce("POST", path, body: body) {
            case .success(let response) where (200..<300).contains(response.status):
                let object = try parseObject(response, method: "POST", path: path, attempts: attempt)
                guard kind == .virtualKey else { return CreateOutcome(object: object) }
                return CreateOutcome(
                    object: object["key"]?.objectValue ?? object, secret: object["secret"]?.stringValue.map(Secret.init))
            case .success(let response):
                error = makeError("POST", path, response: response, attempts: attempt)
                delay = retryDelay(for: response, error: error, attempt: attempt, started: started)
                // A 5xx after the POST arrived does not say whether the object was made; a 4xx (429 too) does.
                mayHaveCreated = response.status >= 500
            case .failure(let transportError):
                error = makeError("POST", path, transportError: transportError, attempts: attempt)
                delay = transportError.isTransient ? transportDelay(attempt: attempt, started: started) : nil
                mayHaveCreated = transportError.requestMayHaveBeenProcessed
            }
            if mayHaveCreated {
                try requireNaturalKey(naturalKey, else: error)
                outcomeUnknown = true
            }
            guard let delay else {
                // Out of retries: one last look, so that a create that did happen is reported as such.
                if outcomeUnknown, let naturalKey, let existing = try? await find(kind, naturalKey: naturalKey) {
                    return recovered(existing)
                }
                throw error
            }
            try await sleep(delay, orThrow: error)
            stats.withLock { $0.recordRetry() }
        }
    }

    private func find(_ kind: ResourceKind, naturalKey: String) async throws(GatewayError) -> JSONObject? {
        try await list(kind).first { kind.naturalKey(of: $0) == naturalKey }
    }

    private func recovered(_ object: JSONObject) -> CreateOutcome {
        stats.withLock { $0.recordRecoveredCreate() }
        return CreateOutcome(object: object, secret: nil, recoveredAfterUnknownOutcome: true)
    }

    /// The last POST may have created the object. Without a natural key to look for it, posting again could make a
    /// second one, so the create stops with `error` instead.
    private func requireNaturalKey(_ naturalKey: String?, else error: GatewayError) throws(GatewayError) {
        guard naturalKey != nil else {
            throw GatewayError(
                method: error.method, path: error.path, status: error.status, errorType: error.errorType,
                message: error.message + "; not retried: the outcome is unknown and the request lacks the natural key to check",
                transportError: error.transportError, attempts: error.attempts)
        }
    }

    // MARK: - One call with retries

    /// Sends a request, retrying transient failures, and returns the JSON object of its 2xx response.
    private func call(_ method: String, _ path: String, body: JSONValue? = nil) async throws(GatewayError)
        -> JSONObject
    {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            let error: GatewayError
            let delay: Double?
            switch await attemptOnce(method, path, body: body) {
            case .success(let response) where (200..<300).contains(response.status):
                return try parseObject(response, method: method, path: path, attempts: attempt)
            case .success(let response):
                error = makeError(method, path, response: response, attempts: attempt)
                delay = retryDelay(for: response, error: error, attempt: attempt, started: started)
            case .failure(let transportError):
                error = makeError(method, path, transportError: transportError, attempts: attempt)
                delay = transportError.isTransient ? transportDelay(attempt: attempt, started: started) : nil
            }
            guard let delay else { throw error }
            try await sleep(delay, orThrow: error)
            stats.withLock { $0.recordRetry() }
        }
    }

    private func attemptOnce(_ method: String, _ path: String, body: JSONValue?) async
        -> Result<HTTPResponse, HTTPTransportError>
    {
        var headers = ["Authorization": "Bearer " + options.apiKey.value, "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let request = HTTPRequest(
            method: method, url: baseURL + path, headers: headers, body: body.map { Array($0.serialized().utf8) })
        do {
            let response = try await transport.send(request)
            stats.withLock { $0.record(method: method, status: response.status) }
            return .success(response)
        } catch {
            stats.withLock { $0.record(method: method, status: 0) }
            return .failure(error)
        }
    }

    // MARK: - Retry decisions

    /// The wait before retrying an HTTP error response, or nil when it must not be retried.
    private func retryDelay(for response: HTTPResponse, error: GatewayError, attempt: Int, started: ContinuousClock.Instant)
        -> Double?
    {
        switch response.status {
        case 429, 502, 503, 504: break
        case 500 where error.errorType != "configuration_error": break
        default: return nil
        }
        return nextDelay(attempt: attempt, hint: retryHint(response), started: started)
    }

    private func transportDelay(attempt: Int, started: ContinuousClock.Instant) -> Double? {
        nextDelay(attempt: attempt, hint: nil, started: started)
    }

    private func nextDelay(attempt: Int, hint: Double?, started: ContinuousClock.Instant) -> Double? {
        let policy = options.retry
        guard attempt < policy.maxAttempts else { return nil }
        let delay = policy.delay(beforeRetry: attempt, serverHint: hint)
        let elapsed = started.duration(to: .now)
        guard elapsed + .seconds(delay) <= .seconds(policy.maxTotalSeconds) else { return nil }
        return delay
    }

    /// `retry_after_secs` in the error body (or at its top level), else a `Retry-After` header in seconds.
    private func retryHint(_ response: HTTPResponse) -> Double? {
        if let json = try? JSONValue.parse(response.body),
            let seconds = (json["error"]?["retry_after_secs"] ?? json["retry_after_secs"])?.doubleValue
        {
            return seconds
        }
        return response.headers["retry-after"].flatMap { Double($0.trimmingWhitespace()) }
    }

    /// Waits before a retry; a cancelled task stops retrying and reports the last failure.
    private func sleep(_ seconds: Double, orThrow lastError: GatewayError) async throws(GatewayError) {
        do { try await Task.sleep(for: .seconds(seconds)) } catch { throw lastError }
    }

    // MARK: - Bodies and errors

    private func singletonPath(_ kind: ResourceKind, id: String?, method: String) throws(GatewayError) -> String {
        if kind.isSingleton { return kind.collectionPath }
        guard let id, !id.isEmpty else {
            throw GatewayError(
                method: method, path: kind.collectionPath,
                message: "a \(kind.displayName) needs its \(kind.naturalKeyFields.joined(separator: ", ")) to be addressed")
        }
        return kind.itemPath(id: id)
    }

    /// Kinds addressed by natural key (tiers) carry it in the path; the request schema does not accept it.
    private func bodyWithoutPathKey(_ kind: ResourceKind, _ body: JSONValue) -> JSONValue {
        guard !kind.createsWithPost, var fields = body.objectValue else { return body }
        for field in kind.naturalKeyFields { fields[field] = nil }
        return .object(fields)
    }

    private func items(of page: JSONObject, kind: ResourceKind, path: String) throws(GatewayError)
        -> [JSONObject]
    {
        guard let array = page[kind.listItemsField]?.arrayValue else {
            throw GatewayError(method: "GET", path: path, message: "the response has no '\(kind.listItemsField)' array")
        }
        return array.compactMap(\.objectValue)
    }

    private func parseObject(_ response: HTTPResponse, method: String, path: String, attempts: Int)
        throws(GatewayError) -> JSONObject
    {
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        do {
            guard let object = try JSONValue.parse(response.body).objectValue else {
                throw GatewayError(
                    method: method, path: path, status: response.status, message: "the response is not a JSON object",
                    attempts: attempts)
            }
            return object
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(
                method: method, path: path, status: response.status, message: "the response is not valid JSON (\(error))",
                attempts: attempts)
        }
    }

    private func makeError(_ method: String, _ path: String, response: HTTPResponse, attempts: Int) -> GatewayError {
        let json = try? JSONValue.parse(response.body)
        let type = json?["error"]?["type"]?.stringValue
        let message = json?["error"]?["message"]?.stringValue ?? json?["message"]?.stringValue
            ?? "the gateway gave no error message"
        return GatewayError(
            method: method, path: path, status: response.status, errorType: type, message: redacted(message),
            attempts: attempts)
    }

    private func makeError(_ method: String, _ path: String, transportError: HTTPTransportError, attempts: Int)
        -> GatewayError
    {
        GatewayError(method: method, path: path, message: transportError.problem, transportError: transportError, attempts: attempts)
    }

    /// A gateway that echoes the presented key in its message must not make us print it.
    private func redacted(_ text: String) -> String {
        let key = options.apiKey.value
        return key.count >= 4 ? text.replacing(key, with: "(sensitive)") : text
    }
}
