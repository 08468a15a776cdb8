import ArgumentParser
import Diff
import FoundationEssentials
import Glibc
import Logging
import Mapping
import Reconciler
import ServiceLifecycle
import SynapseContract

/// `litellm-synapse watch`: the controller daemon. Runs until SIGTERM/SIGINT.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a git repository and keep the gateway in sync with its LiteLLM config (the controller daemon).")

    @Option(name: .long, help: "Repository: https://…, ssh://… or git@host:path, file://…, or a local path.")
    var repo: String

    @Option(name: .long, help: "Branch, tag or commit to follow (default: the remote's default branch).")
    var ref: String?

    @Option(name: .long, help: "Path of the LiteLLM config inside the repository.")
    var path: String

    @Option(name: .long, help: "Folder for the git cache, reports and the lock (one controller per folder).")
    var stateDir: String

    @Option(name: .long, help: "Time between polls: 30s, 1m, 5m, 1h (default 1m; ±10% jitter).")
    var interval: String = "1m"

    @Option(name: .long, help: "sync (apply and correct drift) or observe (report only, never write).")
    var mode: ControllerOptions.Mode = .sync

    @Flag(name: .long, help: "In sync mode, apply only new commits; report drift between commits instead of correcting it.")
    var noSelfHeal = false

    @OptionGroup var changes: ChangeFlags

    @Option(name: .long, help: "host:port for /healthz, /readyz, /metrics, /status, /api/status, /webhook, /reconcile.")
    var listen = "0.0.0.0:8080"

    @Option(name: .long, help: "File with the webhook secret (GitHub/GitLab/generic HMAC). Without it, /webhook is off.")
    var webhookSecretFile: String?

    @Option(name: .long, help: "File with the bearer token for POST /reconcile. Without it, /reconcile is off.")
    var reconcileTokenFile: String?

    @Option(name: .long, help: "Folder for reconcile reports (default: STATE_DIR/reports).")
    var reportDir: String?

    @Option(name: .long, help: "How many reconcile reports to keep.")
    var reportRetention = 200

    @Option(name: .long, help: "File for the secrets of new virtual keys, mode 0600 (default: STATE_DIR/virtual-key-secrets.json).")
    var secretsOut: String?

    @Option(name: .long, help: "NAME=value file for os.environ/ references (the process environment wins).")
    var envFile: String?

    @Option(name: .long, help: "Tenant whose rate-limit tier is set (overrides litellm_synapse.tenant).")
    var tenant: String?

    @OptionGroup var gateway: GatewayFlags
    @OptionGroup var credentials: GitCredentialFlags

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let seconds = Duration.parseSeconds(interval), seconds >= 1 else {
            throw fail("--interval \"\(interval)\" is not a duration of at least 1s; write 30s, 1m, 5m or 1h")
        }
        guard let level = Logger.Level(rawValue: logLevel) else { throw fail("--log-level \"\(logLevel)\" is not a level") }
        guard let (host, port) = WatchCommand.hostPort(listen) else { throw fail("--listen \"\(listen)\" is not host:port") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "litellm-synapse")

        do {
            try SharedLibraries.loadGit()
            try SharedLibraries.loadCurl()
        } catch {
            throw fail(error)
        }
        let lock: StateDirectoryLock
        do { lock = try StateDirectoryLock(stateDirectory: stateDir) } catch { throw fail(error) }
        var options = ControllerOptions(
            git: GitSourceOptions(url: repo, ref: ref, cacheDir: stateDir + "/git", credentials: try credentials.credentials()),
            configPath: path, reportDirectory: reportDir ?? stateDir + "/reports",
            secretsOut: secretsOut ?? stateDir + "/virtual-key-secrets.json")
        options.mode = mode
        options.selfHeal = !noSelfHeal
        options.intervalSeconds = seconds
        options.diff = changes.diffOptions
        options.allowMassDelete = changes.allowMassDelete
        options.tenant = tenant
        options.reportRetention = reportRetention
        options.envFile = try readEnvFile(envFile)

        let metrics = MetricsRegistry()
        let controller: Controller
        do {
            controller = try Controller(
                options: options, gateway: try gateway.client(), metrics: metrics, logger: logger,
                processEnvironment: ProcessInfo.processInfo.environment)
        } catch {
            throw fail(error)
        }
        let server = ControllerServer(
            options: ControllerServerOptions(
                host: host, port: port, webhookSecret: try readSecretFile(webhookSecretFile, what: "webhook secret"),
                reconcileToken: try readSecretFile(reconcileTokenFile, what: "reconcile token"),
                reportDirectory: options.reportDirectory),
            control: controller, metrics: metrics)
        logger.info("watching \(URLRedaction.redactUserinfo(repo)) \(ref ?? "(default branch)"):\(path) every \(interval) in \(mode.rawValue) mode; listening on \(listen)")
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: controller), .init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            throw fail(error)
        }
        withExtendedLifetime(lock) {}
        logger.info("stopped")
    }

    static func hostPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}

extension ControllerOptions.Mode: ExpressibleByArgument {}

/// Git credentials from files or the environment, never from the command line.
struct GitCredentialFlags: ParsableArguments {
    @Option(name: .long, help: "File with an HTTPS token (or set LITELLM_SYNAPSE_GIT_TOKEN).")
    var gitTokenFile: String?

    @Option(name: .long, help: "User name for HTTPS: with --git-password-file (or LITELLM_SYNAPSE_GIT_PASSWORD); with a token, default x-access-token.")
    var gitUsername: String?

    @Option(name: .long, help: "File with the HTTPS password for --git-username.")
    var gitPasswordFile: String?

    @Option(name: .long, help: "SSH private key file (PEM RSA keys work with Debian's libgit2).")
    var sshKeyFile: String?

    @Option(name: .long, help: "File with the SSH key's passphrase.")
    var sshPassphraseFile: String?

    @Option(name: .long, help: "known_hosts file for SSH (required with --ssh-key-file; unknown hosts are refused).")
    var knownHostsFile: String?

    func credentials() throws -> GitCredentials {
        let environment = ProcessInfo.processInfo.environment
        if let sshKeyFile {
            guard let knownHostsFile else { throw fail("--ssh-key-file needs --known-hosts-file: unknown SSH hosts are refused") }
            return .sshKey(
                privateKeyPath: sshKeyFile, publicKeyPath: nil,
                passphrase: try readSecretFile(sshPassphraseFile, what: "SSH passphrase"), knownHostsPath: knownHostsFile)
        }
        if let token = try readSecret(file: gitTokenFile, variable: "LITELLM_SYNAPSE_GIT_TOKEN", what: "git token", environment: environment) {
            return .httpsToken(token, username: gitUsername ?? "x-access-token")
        }
        if let user = gitUsername {
            guard let password = try readSecret(file: gitPasswordFile, variable: "LITELLM_SYNAPSE_GIT_PASSWORD", what: "git password", environment: environment) else {
                throw fail("--git-username needs --git-password-file or LITELLM_SYNAPSE_GIT_PASSWORD")
            }
            return .userPassword(user, password)
        }
        return .none
    }
}

extension Duration {
    /// `90`, `30s`, `1m`, `1.5h` → seconds.
    static func parseSeconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()) { return value * factor }
        return Double(text)
    }
}
