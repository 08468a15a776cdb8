import SynapseContract

/// What the HTTP layer does with a request: wait `delay`, then send `response`, or close the connection without
/// answering when `response` is nil.
struct SimulatorOutcome: Sendable {
    var response: SimulatorResponse?
    var delay: Duration = .zero
}

/// The simulated gateway behind the HTTP server: authentication, fault injection, statistics, and dispatch to
/// `GatewayState`. An actor, so concurrent requests see one consistent state and the fault sequence stays tied to
/// the order requests arrive in.
actor SimulatedGateway {
    private let apiKey: Secret
    private let seed: UInt64
    private var faults: FaultOptions
    private var faultRandom: SeededRandom
    private var state: GatewayState
    private var stats = SimulatorStats()
    private let startedAt = ContinuousClock.now

    init(options: SimulatorOptions) {
        apiKey = options.apiKey
        seed = options.seed
        faults = options.faults
        faultRandom = SeededRandom(seed: options.seed)
        state = GatewayState(seed: options.seed)
    }

    func setFaults(_ faults: FaultOptions) {
        self.faults = faults
    }

    /// Forgets every object and counter and restarts the random streams from the seed; the faults stay as set.
    func reset() {
        state = GatewayState(seed: seed)
        stats = SimulatorStats()
        faultRandom = SeededRandom(seed: seed)
    }

    func handle(_ request: SimulatorRequest) -> SimulatorOutcome {
        let segments = request.segments
        if segments.first == "_sim" {
            guard isAuthorized(request) else { return SimulatorOutcome(response: GatewayError.unauthenticated.response) }
            return SimulatorOutcome(response: control(request, segments))
        }
        let endpoint = Endpoint(segments)
        stats.count(method: request.method, route: endpoint.template ?? request.path)
        if case .health = endpoint { return SimulatorOutcome(response: respond(endpoint, request)) }
        if case .ready = endpoint { return SimulatorOutcome(response: respond(endpoint, request)) }
        guard isAuthorized(request) else { return SimulatorOutcome(response: GatewayError.unauthenticated.response) }

        let latency = Duration.milliseconds(faults.latencyMilliseconds)
        if faultRandom.chance(faults.dropBeforeCommitRate) {
            stats.countFault("dropBeforeCommit")
            return SimulatorOutcome(response: nil, delay: latency)
        }
        if faultRandom.chance(faults.rateLimitRate) {
            stats.countFault("rateLimit")
            return SimulatorOutcome(response: GatewayError.rateLimited(retryAfter: faults.retryAfterSeconds).response, delay: latency)
        }
        if faultRandom.chance(faults.errorRate) {
            let error = GatewayError.serverErrors[Int(faultRandom.next() % UInt64(GatewayError.serverErrors.count))]
            stats.countFault("serverError\(error.status)")
            return SimulatorOutcome(response: error.response, delay: latency)
        }

        let response = respond(endpoint, request)
        guard request.isWrite, (200..<300).contains(response.status) else {
            return SimulatorOutcome(response: response, delay: latency)
        }
        if faultRandom.chance(faults.dropAfterCommitRate) {
            stats.countFault("dropAfterCommit")
            return SimulatorOutcome(response: nil, delay: latency)
        }
        if faultRandom.chance(faults.commitThenTimeoutRate) {
            stats.countFault("commitThenTimeout")
            switch faults.timeoutBehavior {
            case .hold(let seconds):
                return SimulatorOutcome(response: response, delay: latency + .milliseconds(Int64(seconds * 1000)))
            case .gatewayTimeout:
                return SimulatorOutcome(response: GatewayError.gatewayTimeout.response, delay: latency)
            }
        }
        return SimulatorOutcome(response: response, delay: latency)
    }

    // MARK: - Endpoints

    private func isAuthorized(_ request: SimulatorRequest) -> Bool {
        guard let header = request.authorization, header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { return false }
        return Array(header.dropFirst(7).utf8) == Array(apiKey.value.utf8)
    }

    private func respond(_ endpoint: Endpoint, _ request: SimulatorRequest) -> SimulatorResponse {
        do {
            return try dispatch(endpoint, request)
        } catch {
            return error.response
        }
    }

    private func dispatch(_ endpoint: Endpoint, _ request: SimulatorRequest) throws(GatewayError) -> SimulatorResponse {
        switch (endpoint, request.method) {
        case (.health, "GET"):
            return .json(200, ["status": "healthy", "version": "0.2.0", "service": "synapse-gateway-simulator"])
        case (.ready, "GET"):
            let uptime = (ContinuousClock.now - startedAt).components.seconds
            return .json(200, [
                "ready": true, "uptime_secs": .int(Int(uptime)),
                "components": ["gateway": true, "proxy": true, "healthy_proxies": 1, "total_proxies": 1],
            ])
        case (.collection(let spec), "GET"):
            return .json(200, try state.list(spec, query: request.query))
        case (.collection(let spec), "POST"):
            return try state.create(spec, body: request.body)
        case (.item(let spec, let id), "GET"):
            return .json(200, try state.get(spec, id: id))
        case (.item(let spec, let id), "PUT"):
            return .json(200, try state.update(spec, id: id, body: request.body))
        case (.item(let spec, let id), "DELETE"):
            return try state.delete(spec, id: id)
        case (.rotateKey(let id), "POST"):
            return .json(200, try state.rotateKey(id: id))
        case (.routingConfig, "GET"):
            return .json(200, state.routing())
        case (.routingConfig, "PUT"):
            return .json(200, try state.putRouting(body: request.body))
        case (.tierAssignments, "GET"):
            return .json(200, state.tierAssignmentList())
        case (.tiers, "GET"):
            return .json(200, TierCatalog.tiersResponse)
        case (.tenantTier(let tenant), "GET"):
            return .json(200, state.tier(tenant: tenant))
        case (.tenantTier(let tenant), "PUT"):
            return .json(200, try state.putTier(tenant: tenant, body: request.body))
        case (.tenantTier(let tenant), "DELETE"):
            return .json(200, state.deleteTier(tenant: tenant))
        case (.unknown, _):
            throw GatewayError.notFound("no such endpoint: \(request.method) \(request.path)")
        default:
            throw GatewayError.methodNotAllowed(request.method, endpoint.template ?? request.path)
        }
    }

    /// `/_sim/stats`, `/_sim/state`, `/_sim/reset`, `/_sim/faults`: never subject to faults, not counted.
    private func control(_ request: SimulatorRequest, _ segments: [String]) -> SimulatorResponse {
        switch (request.method, segments.dropFirst().joined(separator: "/")) {
        case ("GET", "stats"):
            return .json(200, stats.json(writes: state.writes))
        case ("GET", "state"):
            return .json(200, state.snapshot())
        case ("POST", "reset"):
            reset()
            return .json(200, ["reset": true])
        case ("GET", "faults"):
            return .json(200, faults.json)
        case ("POST", "faults"):
            do {
                let body = request.body.isEmpty ? "{}" : String(decoding: request.body, as: UTF8.self)
                faults = try FaultOptions(json: try JSONValue.parse(body))
                return .json(200, faults.json)
            } catch {
                return GatewayError.invalidRequest("\(error)", code: "invalid_fault_options").response
            }
        default:
            return GatewayError.notFound(
                "no such simulator endpoint: \(request.method) \(request.path) (GET /_sim/stats, GET /_sim/state, POST /_sim/reset, GET|POST /_sim/faults)"
            ).response
        }
    }
}

/// The endpoint a path names, independent of the method.
enum Endpoint: Sendable {
    case health, ready
    case collection(CollectionSpec)
    case item(CollectionSpec, id: String)
    case rotateKey(id: String)
    case routingConfig
    case tierAssignments, tiers
    case tenantTier(String)
    case unknown

    init(_ segments: [String]) {
        switch segments {
        case ["health"], ["healthz"]: self = .health; return
        case ["ready"], ["readyz"]: self = .ready; return
        case ResourceKind.routingConfig.collectionPath.pathSegments: self = .routingConfig; return
        default: break
        }
        let rateLimits = ResourceKind.rateLimitTier.collectionPath.pathSegments
        if segments.starts(with: rateLimits) {
            switch segments.dropFirst(rateLimits.count) {
            case []: self = .tierAssignments
            case ["tiers"]: self = .tiers
            case let rest where rest.count == 1: self = .tenantTier(rest.first!)
            default: self = .unknown
            }
            return
        }
        for spec in CollectionSpec.all {
            let base = spec.collectionPath.pathSegments
            guard segments.starts(with: base) else { continue }
            let rest = Array(segments.dropFirst(base.count))
            switch rest.count {
            case 0: self = .collection(spec)
            case 1: self = .item(spec, id: rest[0])
            case 2 where spec == .virtualKey && rest[1] == "rotate": self = .rotateKey(id: rest[0])
            default: self = .unknown
            }
            return
        }
        self = .unknown
    }

    /// The route as `/_sim/stats` counts it, e.g. `/api/v1/teams/{id}`; nil for unknown paths.
    var template: String? {
        switch self {
        case .health: return "/health"
        case .ready: return "/ready"
        case .collection(let spec): return spec.collectionPath
        case .item(let spec, _): return spec.collectionPath + "/{id}"
        case .rotateKey: return CollectionSpec.virtualKey.collectionPath + "/{id}/rotate"
        case .routingConfig: return ResourceKind.routingConfig.collectionPath
        case .tierAssignments: return ResourceKind.rateLimitTier.collectionPath
        case .tiers: return ResourceKind.rateLimitTier.collectionPath + "/tiers"
        case .tenantTier: return ResourceKind.rateLimitTier.collectionPath + "/{tenant_id}"
        case .unknown: return nil
        }
    }
}

extension String {
    fileprivate var pathSegments: [String] { split(separator: "/").map(String.init) }
}
