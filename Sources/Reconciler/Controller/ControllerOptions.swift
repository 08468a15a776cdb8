import Diff

/// Everything `litellm-synapse watch` is told.
public struct ControllerOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Apply new commits and correct drift.
        case sync
        /// Never write; report drift only (the start of a parallel run).
        case observe
    }

    public var git: GitSourceOptions
    /// Path of the LiteLLM config inside the repository.
    public var configPath: String
    public var mode: Mode = .sync
    /// In sync mode, correct drift on every interval, not only when a new commit arrives.
    public var selfHeal = true
    public var intervalSeconds: Double = 60
    /// Up to this share of the interval is added or removed at random, so many controllers do not poll in step.
    public var jitter: Double = 0.1
    /// Backoff after a failed pass (gateway or git unreachable): doubles from `backoffMinimum` up to `backoffMaximum`.
    public var backoffMinimumSeconds: Double = 5
    public var backoffMaximumSeconds: Double = 300
    public var diff = DiffOptions()
    public var allowMassDelete = false
    public var tenant: String?
    public var reportDirectory: String
    public var reportRetention = 200
    public var secretsOut: String
    /// `--env-file` values for `os.environ/` references.
    public var envFile: [String: String] = [:]
    /// How long an in-flight pass may run after SIGTERM before it is abandoned (its report is still written).
    public var shutdownGraceSeconds: Double = 8

    public init(git: GitSourceOptions, configPath: String, reportDirectory: String, secretsOut: String) {
        self.git = git
        self.configPath = configPath
        self.reportDirectory = reportDirectory
        self.secretsOut = secretsOut
    }
}
