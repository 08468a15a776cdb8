import ArgumentParser
import Diff
import FoundationEssentials
import Glibc
import Mapping
import Reconciler
import SynapseContract

/// How to reach the gateway. The key is read from a file or the environment, never from the command line
/// (`--api-key` is accepted for the seed script's compatibility, with a warning: it shows in the process list).
struct GatewayFlags: ParsableArguments {
    @Option(name: .long, help: "Gateway base URL (default: $SYNAPSE_GATEWAY_URL).")
    var gatewayURL: String?

    @Option(name: .long, help: "File holding the gateway API key (default: $SYNAPSE_API_KEY).")
    var apiKeyFile: String?

    @Option(name: .long, help: "The gateway API key itself (discouraged: visible to other users in the process list).")
    var apiKey: String?

    @Option(name: .long, help: "CA bundle to verify the gateway's TLS certificate with.")
    var caFile: String?

    @Option(name: .long, help: "Requests in flight at once.")
    var concurrency: Int = 8

    @Option(name: .long, help: "Seconds before one request times out.")
    var timeout: Double = 30

    func client() throws -> GatewayClient {
        let environment = ProcessInfo.processInfo.environment
        guard let url = gatewayURL ?? environment["SYNAPSE_GATEWAY_URL"], !url.isEmpty else {
            throw fail("no gateway URL; pass --gateway-url URL or set SYNAPSE_GATEWAY_URL")
        }
        let key = try GatewayFlags.apiKey(file: apiKeyFile, flag: apiKey, environment: environment)
        guard concurrency >= 1 else { throw fail("--concurrency must be at least 1") }
        do {
            try SharedLibraries.loadCurl()
            return try GatewayClient(options: GatewayOptions(
                baseURL: url, apiKey: key, caFile: caFile, timeoutSeconds: timeout, concurrency: concurrency))
        } catch {
            throw fail(error)
        }
    }

    static func apiKey(file: String?, flag: String?, environment: [String: String]) throws -> Secret {
        if let key = try readSecret(file: file, variable: "SYNAPSE_API_KEY", what: "API key", environment: environment) { return key }
        if let flag {
            printWarning("--api-key shows the key in the process list; prefer SYNAPSE_API_KEY or --api-key-file")
            return Secret(flag)
        }
        throw fail("no gateway API key; set SYNAPSE_API_KEY or pass --api-key-file FILE")
    }
}

/// Which config, and how its `os.environ/` references resolve.
struct ConfigFlags: ParsableArguments {
    @Option(name: .long, help: "The LiteLLM config file (its include: files are read too).")
    var config: String

    @Option(name: .long, help: "NAME=value file for os.environ/ references (the process environment wins).")
    var envFile: String?

    @Option(name: .long, help: "Tenant whose rate-limit tier is set (overrides litellm_synapse.tenant).")
    var tenant: String?

    func map() throws -> MappingResult {
        do {
            return try MappingPipeline.map(configPath: config, source: LocalFileSource(), tenant: tenant)
        } catch {
            throw fail(error)
        }
    }

    func environment(for mapping: MappingResult) throws -> EnvironmentResolver {
        EnvironmentResolver(
            processEnvironment: ProcessInfo.processInfo.environment, envFile: try readEnvFile(envFile),
            configEnvironment: mapping.configEnvironment)
    }
}

/// What a reconcile may do beyond creating and updating (shared by `apply`, `diff` and `watch`).
struct ChangeFlags: ParsableArguments {
    @Flag(name: .long, help: "Delete owned objects that left the config (guarded against mass deletion).")
    var prune = false

    @Flag(name: .long, help: "Allow a prune that deletes all, or more than 25%, of the owned objects.")
    var allowMassDelete = false

    @Flag(name: .long, help: "Treat same-named objects the controller did not create as its own.")
    var adopt = false

    var diffOptions: DiffOptions { DiffOptions(prune: prune, adopt: adopt) }
}

/// The values of an `--env-file` (empty without one).
func readEnvFile(_ path: String?) throws -> [String: String] {
    guard let path else { return [:] }
    guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read --env-file \(path)") }
    do {
        return try EnvironmentResolver.parseEnvFile(String(decoding: data, as: UTF8.self), path: path)
    } catch {
        throw fail(error)
    }
}

/// A secret from its file flag, else from a non-empty environment variable, else nil.
func readSecret(file: String?, variable: String, what: String, environment: [String: String]) throws -> Secret? {
    if let secret = try readSecretFile(file, what: what) { return secret }
    guard let value = environment[variable], !value.isEmpty else { return nil }
    return Secret(value)
}

/// Reads a secret from a file (surrounding whitespace trimmed); nil when no path is given.
func readSecretFile(_ path: String?, what: String) throws -> Secret? {
    guard let path else { return nil }
    guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the \(what) file \(path)") }
    let value = String(decoding: data, as: UTF8.self).trimmingWhitespace()
    guard !value.isEmpty else { throw fail("the \(what) file \(path) is empty") }
    return Secret(value)
}
