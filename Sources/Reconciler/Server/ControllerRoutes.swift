import FoundationEssentials
import Glibc
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SynapseContract

/// The controller's endpoints, one method per route; `ControllerServer` runs them behind one listener.
///
/// | route | answer |
/// |---|---|
/// | `GET /healthz` | 200 while the process runs |
/// | `GET /readyz` | 200 when `status.ready`, else 503 with the reason |
/// | `GET /metrics` | Prometheus text format 0.0.4 |
/// | `GET /api/status` | `StatusPage.json` |
/// | `GET /status` (and `/` → redirect) | `StatusPage.html` |
/// | `GET /reports/<base>.md\|json` | a report file, when a report folder is configured |
/// | `POST /webhook` | 202 after a verified push (reconcile requested), 200 for ping or other events, 401, 413 |
/// | `POST /reconcile` | 202 with the bearer token (reconcile requested), else 401 |
///
/// ```swift
/// let routes = ControllerRoutes(options: options, control: controller, metrics: metrics, logger: logger)
/// let response = await routes.respond(to: request)
/// ```
struct ControllerRoutes: Sendable {
    let options: ControllerServerOptions
    let control: any ControllerControl
    let metrics: MetricsRegistry
    let logger: Logger
    private let verifier: WebhookVerifier?

    init(options: ControllerServerOptions, control: any ControllerControl, metrics: MetricsRegistry, logger: Logger) {
        self.options = options
        self.control = control
        self.metrics = metrics
        self.logger = logger
        verifier = options.webhookSecret.map { WebhookVerifier(secret: $0) }
    }

    func respond(to request: Request) async -> Response {
        let path = request.uri.path
        let method = request.method
        switch path {
        case "/healthz":
            guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
            return Self.text(.ok, "ok\n")
        case "/readyz":
            guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
            return await readiness()
        case "/metrics":
            guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
            return Self.respond(.ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render())
        case "/api/status":
            guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
            return Self.json(.ok, StatusPage.json(await control.status()).prettyPrinted())
        case "/status":
            guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
            return await statusPage()
        case "/":
            guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
            var response = Self.text(.found, "see /status\n")
            response.headers[.location] = "/status"
            return response
        case "/webhook":
            guard verifier != nil else { return Self.notFound() }
            guard method == .post else { return Self.methodNotAllowed(allow: "POST") }
            return await webhook(request)
        case "/reconcile":
            guard options.reconcileToken != nil else { return Self.notFound() }
            guard method == .post else { return Self.methodNotAllowed(allow: "POST") }
            return manualReconcile(request)
        default:
            if path.hasPrefix("/reports/") {
                guard method == .get else { return Self.methodNotAllowed(allow: "GET") }
                return report(named: String(path.dropFirst("/reports/".count)))
            }
            return Self.notFound()
        }
    }

    // MARK: - Endpoints

    private func readiness() async -> Response {
        let status = await control.status()
        if status.ready { return Self.text(.ok, "ready\n") }
        let reason = status.degradedReason ?? "waiting for the first successful git fetch and gateway read"
        return Self.text(.serviceUnavailable, "not ready: \(reason)\n")
    }

    private func statusPage() async -> Response {
        let html = StatusPage.html(await control.status(), linkReports: options.reportDirectory != nil)
        var response = Self.respond(.ok, contentType: "text/html; charset=utf-8", body: html)
        // Defence in depth behind the escaping: no script, frame or remote resource may run in this page.
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }

    private func webhook(_ request: Request) async -> Response {
        guard let verifier else { return Self.notFound() }
        let limit = options.maxWebhookBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            return webhookTooLarge(limit)
        }
        var request = request
        let body: [UInt8]
        do {
            body = Array(try await request.collectBody(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            return webhookTooLarge(limit)
        } catch {
            countWebhook("error")
            return Self.jsonError(.badRequest, "could not read the request body")
        }
        let headers = Self.headerDictionary(request.headers)
        switch verifier.verify(headers: headers, body: body) {
        case .rejected(let reason):
            countWebhook("rejected")
            logger.notice("webhook rejected", metadata: ["reason": .string(reason)])
            return Self.jsonError(.unauthorized, reason)
        case .accepted(let provider):
            // GitHub sends a signed ping when a hook is created; other events than pushes need no fetch.
            if let event = headers["x-github-event"] {
                if event == "ping" {
                    countWebhook("ping")
                    return Self.json(.ok, #"{"status":"pong"}"#)
                }
                if event != "push" { return ignoredEvent(event, provider: provider) }
            } else if let event = headers["x-gitlab-event"], event != "Push Hook" {
                return ignoredEvent(event, provider: provider)
            }
            countWebhook("accepted")
            logger.info("webhook accepted; reconcile requested", metadata: ["provider": .string(provider)])
            // Answer at once: the controller coalesces requests, and a slow pass must not time out the sender.
            let control = self.control
            Task { await control.requestReconcile(.webhook) }
            return Self.json(.accepted, #"{"status":"accepted","provider":"\#(provider)"}"#)
        }
    }

    private func ignoredEvent(_ event: String, provider: String) -> Response {
        countWebhook("ignored")
        let body: JSONValue = ["status": "ignored", "provider": .string(provider), "event": .string(event)]
        return Self.json(.ok, body.serialized())
    }

    private func webhookTooLarge(_ limit: Int) -> Response {
        countWebhook("too_large")
        return Self.jsonError(.contentTooLarge, "the webhook body is larger than \(limit) bytes")
    }

    private func countWebhook(_ result: String) {
        metrics.increment(ControllerMetrics.webhookRequestsTotal, labels: ["result": result])
    }

    private func manualReconcile(_ request: Request) -> Response {
        guard let token = options.reconcileToken else { return Self.notFound() }
        let presented = request.headers[.authorization].flatMap(Self.bearerToken) ?? ""
        // Hashing both sides first keeps the comparison's time independent of the token's length too.
        let matches = !token.value.isEmpty
            && SHA256.constantTimeEquals(SHA256.hash(Array(presented.utf8)), SHA256.hash(Array(token.value.utf8)))
        guard matches else {
            metrics.increment(ControllerMetrics.manualReconcileRequestsTotal, labels: ["result": "rejected"])
            var response = Self.jsonError(.unauthorized, "POST /reconcile needs the header Authorization: Bearer <reconcile token>")
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        metrics.increment(ControllerMetrics.manualReconcileRequestsTotal, labels: ["result": "accepted"])
        logger.info("manual reconcile requested")
        let control = self.control
        Task { await control.requestReconcile(.manual) }
        return Self.json(.accepted, #"{"status":"accepted"}"#)
    }

    private func report(named name: String) -> Response {
        guard let directory = options.reportDirectory, let type = Self.reportContentType(name) else { return Self.notFound() }
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        // Regular files only: a symlink could point outside the report folder.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let data = FileManager.default.contents(atPath: path)
        else { return Self.notFound() }
        var response = Self.respond(.ok, contentType: type, bytes: Array(data))
        response.headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        return response
    }

    /// The content type for a valid report file name, or nil when the name is not one: `<base>.md` or `<base>.json`
    /// where the base is letters, digits, `.`, `_` and `-`, does not start with `.` and contains no `..`.
    static func reportContentType(_ name: String) -> String? {
        guard name.utf8.count <= 255, !name.hasPrefix("."), !name.contains(".."),
            name.unicodeScalars.allSatisfy({ $0.isASCII && (Character($0).isLetter || Character($0).isNumber || "._-".unicodeScalars.contains($0)) })
        else { return nil }
        if name.hasSuffix(".md"), name.count > 3 { return "text/plain; charset=utf-8" }  // shown, not downloaded
        if name.hasSuffix(".json"), name.count > 5 { return "application/json" }
        return nil
    }

    // MARK: - Helpers

    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingWhitespace()
    }

    /// Lower-cased names; repeated headers joined with ", ".
    static func headerDictionary(_ fields: HTTPFields) -> [String: String] {
        var out: [String: String] = [:]
        for field in fields {
            let name = field.name.canonicalName
            out[name] = out[name].map { "\($0), \(field.value)" } ?? field.value
        }
        return out
    }

    static func respond(_ status: HTTPTypes.HTTPResponse.Status, contentType: String, body: String) -> Response {
        respond(status, contentType: contentType, bytes: Array(body.utf8))
    }

    static func respond(_ status: HTTPTypes.HTTPResponse.Status, contentType: String, bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        // One ByteBuffer with a Content-Length: Hummingbird writes head and body in one write.
        let buffer = ByteBuffer(bytes: bytes)
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    static func text(_ status: HTTPTypes.HTTPResponse.Status, _ body: String) -> Response {
        respond(status, contentType: "text/plain; charset=utf-8", body: body)
    }

    static func json(_ status: HTTPTypes.HTTPResponse.Status, _ body: String) -> Response {
        respond(status, contentType: "application/json", body: body.hasSuffix("\n") ? body : body + "\n")
    }

    static func jsonError(_ status: HTTPTypes.HTTPResponse.Status, _ message: String) -> Response {
        let body: JSONValue = ["error": .string(message)]
        return json(status, body.serialized())
    }

    static func notFound() -> Response {
        jsonError(.notFound, "not found")
    }

    static func methodNotAllowed(allow: String) -> Response {
        var response = jsonError(.methodNotAllowed, "method not allowed; use \(allow)")
        response.headers[.allow] = allow
        return response
    }
}
