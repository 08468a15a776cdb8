import SynapseContract

/// How `ControllerServer` listens and which of its optional endpoints are on.
///
/// ```swift
/// var options = ControllerServerOptions(host: "0.0.0.0", port: 8080)
/// options.webhookSecret = Secret(try String(contentsOfFile: "/etc/synapse/webhook-secret").trimmingWhitespace())
/// options.reportDirectory = "/var/lib/litellm-synapse/reports"
/// ```
public struct ControllerServerOptions: Sendable {
    /// Address to bind, e.g. `0.0.0.0`, `127.0.0.1` or `::`.
    public var host: String
    /// TCP port; 0 picks a free one (read it from `RunningControllerServer.port`).
    public var port: Int
    /// Shared secret for `POST /webhook`; nil turns webhooks off (the endpoint answers 404).
    public var webhookSecret: Secret?
    /// Bearer token for `POST /reconcile`; nil turns the endpoint off (404).
    public var reconcileToken: Secret?
    /// Folder whose `<base>.md` and `<base>.json` reports are served read-only at `/reports/…`; nil serves none.
    public var reportDirectory: String?
    /// Largest webhook body accepted; larger deliveries get 413. GitHub caps payloads at 25 MB but push events for
    /// a config repository are a few kilobytes.
    public var maxWebhookBodyBytes: Int

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        webhookSecret: Secret? = nil,
        reconcileToken: Secret? = nil,
        reportDirectory: String? = nil,
        maxWebhookBodyBytes: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.webhookSecret = webhookSecret
        self.reconcileToken = reconcileToken
        self.reportDirectory = reportDirectory
        self.maxWebhookBodyBytes = maxWebhookBodyBytes
    }
}
