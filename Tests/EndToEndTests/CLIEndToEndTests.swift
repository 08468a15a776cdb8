import Foundation
import SynapseContract
import SynapseSimulator
import Testing

/// The built command-line tool (`swift build` makes it; `swift test` builds it with the tests).
let cliPath = "\(packageRoot)/.build/debug/litellm-synapse"

struct CLIRun: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// A child process whose output goes to files (no pipe to fill up), stopped with SIGKILL if it outlives `seconds`.
final class Child: @unchecked Sendable {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ arguments: [String], environment: [String: String], scratch: String) throws {
        let id = UUID().uuidString
        stdoutPath = "\(scratch)/\(id).out"
        stderrPath = "\(scratch)/\(id).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: cliPath)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for the process to end; kills it (SIGKILL) otherwise. True when it ended by itself.
    func wait(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard process.isRunning else { return true }
        kill()
        return false
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
    }
}

/// Environment for the child: the test's provider keys and nothing of the caller's gateway settings.
func childEnvironment(_ extra: [String: String] = [:], without: Set<String> = []) -> [String: String] {
    var environment = TestSecrets.environment.merging(extra) { _, new in new }
    environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    environment["HOME"] = NSTemporaryDirectory()
    for name in without { environment[name] = nil }
    return environment
}

func runCLI(_ arguments: [String], environment: [String: String] = childEnvironment(), scratch: String, seconds: Double = 60) async throws -> CLIRun {
    let child = try Child(arguments, environment: environment, scratch: scratch)
    let finished = await child.wait(seconds: seconds)
    #expect(finished, "litellm-synapse \(arguments.first ?? "") did not finish in \(seconds) s")
    return CLIRun(status: finished ? child.process.terminationStatus : -9, stdout: child.stdout, stderr: child.stderr)
}

@Suite("End to end: the CLI as a process", .serialized, .timeLimit(.minutes(5)))
struct CLIEndToEndTests {
    static func keyFile(in scratch: String) throws -> String {
        let path = "\(scratch)/gateway.key"
        _ = FileManager.default.createFile(atPath: path, contents: Data((TestSecrets.gatewayKey + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    static func assertNoSecrets(_ texts: [String], extra: [String] = []) {
        for secret in Array(TestSecrets.providerKeys.values) + [TestSecrets.gatewayKey] + extra {
            for text in texts where text.contains(secret) { Issue.record("secret \(secret.prefix(8))… in CLI output: \(text.prefix(400))") }
        }
    }

    @Test("inspect prints JSON and refuses --format text instead of printing JSON anyway")
    func inspectFormats() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: cliPath), "build the CLI first: swift build")
        let scratch = NSTemporaryDirectory() + "inspect-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = examplePath("openai-azure-multiregion")

        let json = try await runCLI(["inspect", "--config", config, "--format", "json"], scratch: scratch)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["model_list"] != nil, "inspect printed no model_list: \(json.stdout.prefix(200))")

        let text = try await runCLI(["inspect", "--config", config, "--format", "text"], scratch: scratch)
        #expect(text.status != 0)
        #expect(text.stdout.isEmpty, "inspect --format text printed \(text.stdout.prefix(200))")
        #expect(text.stderr.contains("json"), "the message should name the format inspect has: \(text.stderr)")
    }

    @Test("apply then diff: exit 0 in sync, 2 changes pending, 1 error (simulator in-process)")
    func exitCodes() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: cliPath), "build the CLI first: swift build")
        try await Harness.run { h in
            let keyFile = try Self.keyFile(in: h.scratch)
            let original = try String(contentsOfFile: examplePath("openai-azure-multiregion"), encoding: .utf8)
            let config = try h.writeConfig(original)
            let reports = "\(h.scratch)/reports"
            let secretsOut = "\(h.scratch)/key-secrets.json"
            let gateway = ["--gateway-url", h.sim.baseURL, "--api-key-file", keyFile]
            var outputs: [String] = []

            let pending = try await runCLI(["diff", "--config", config] + gateway, scratch: h.scratch)
            outputs += [pending.stdout, pending.stderr]
            #expect(pending.status == 2, "\(pending)")
            #expect(pending.stdout.contains("to create"))
            #expect(try await h.writes() == 0, "diff never writes")

            let apply = try await runCLI(
                ["apply", "--config", config, "--report-dir", reports, "--secrets-out", secretsOut] + gateway, scratch: h.scratch)
            outputs += [apply.stdout, apply.stderr]
            #expect(apply.status == 0, "\(apply)")
            #expect(apply.stdout.contains("Result: applied"), "\(apply)")
            #expect(posixMode(secretsOut) == 0o600)

            let clean = try await runCLI(["diff", "--config", config] + gateway, scratch: h.scratch)
            outputs += [clean.stdout, clean.stderr]
            #expect(clean.status == 0, "\(clean)")
            #expect(clean.stdout.contains("No changes"))

            let json = try await runCLI(["diff", "--config", config, "--format", "json"] + gateway, scratch: h.scratch)
            #expect(json.status == 0, "\(json)")
            let parsed = try JSONValue.parse(json.stdout)
            #expect(parsed["counts"]?["unchanged"]?.intValue ?? 0 > 0)

            let again = try await runCLI(["apply", "--config", config, "--report-dir", reports, "--secrets-out", secretsOut] + gateway, scratch: h.scratch)
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("in-sync"), "\(again)")

            // A config change: pending again.
            _ = try h.writeConfig(original.replacingOccurrences(of: "rpm: 600", with: "rpm: 650"))
            let changed = try await runCLI(["diff", "--config", config] + gateway, scratch: h.scratch)
            outputs += [changed.stdout, changed.stderr]
            #expect(changed.status == 2, "\(changed)")
            #expect(changed.stdout.contains("rateLimits"), "\(changed)")

            // Errors: an unset variable, a wrong gateway key, an emptied config under --prune.
            let unset = try await runCLI(["diff", "--config", config] + gateway, environment: childEnvironment(without: ["AZURE_EASTUS_API_KEY"]), scratch: h.scratch)
            outputs += [unset.stdout, unset.stderr]
            #expect(unset.status == 1, "\(unset)")
            #expect(unset.stderr.contains("AZURE_EASTUS_API_KEY"), "\(unset)")
            let unsetApply = try await runCLI(["apply", "--config", config] + gateway, environment: childEnvironment(without: ["AZURE_EASTUS_API_KEY"]), scratch: h.scratch)
            #expect(unsetApply.status == 1, "\(unsetApply)")

            let wrongKeyFile = "\(h.scratch)/wrong.key"
            try "not-the-key".write(toFile: wrongKeyFile, atomically: true, encoding: .utf8)
            let unauthorised = try await runCLI(
                ["diff", "--config", config, "--gateway-url", h.sim.baseURL, "--api-key-file", wrongKeyFile], scratch: h.scratch)
            outputs += [unauthorised.stdout, unauthorised.stderr]
            #expect(unauthorised.status == 1, "\(unauthorised)")

            let empty = try h.writeConfig("model_list: []\n", name: "empty.yaml")
            let writesBefore = try await h.writes()
            let refused = try await runCLI(["apply", "--config", empty, "--prune"] + gateway, scratch: h.scratch)
            outputs += [refused.stdout, refused.stderr]
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("--allow-mass-delete"), "\(refused)")
            #expect(try await h.writes() == writesBefore)

            let keySecrets = (FileManager.default.contents(atPath: secretsOut).flatMap { try? JSONValue.parse(Array($0)) }?.objectValue ?? [:])
                .values.compactMap(\.stringValue)
            #expect(keySecrets.count == 1)
            Self.assertNoSecrets(outputs + filesBelow(reports).map(\.text), extra: keySecrets)
            #expect(filesBelow(reports).count >= 4)
        }
    }

    @Test("plan loads neither libcurl nor libgit2; diff loads libcurl when it reaches the gateway")
    func librariesLoadOnFirstUse() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: cliPath), "build the CLI first: swift build")
        try await Harness.run { h in
            let keyFile = try Self.keyFile(in: h.scratch)
            let config = examplePath("single-provider")
            // LD_DEBUG=files: the dynamic loader names on stderr every library it loads, at start or by dlopen.
            let traced = childEnvironment(["LD_DEBUG": "files"])

            let plan = try await runCLI(["plan", "--config", config, "--output", "\(h.scratch)/plan"], environment: traced, scratch: h.scratch)
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stderr.contains("file=libyaml-0.so"), "the loader trace shows no libyaml: \(plan.stderr.prefix(300))")
            #expect(!plan.stderr.contains("libcurl.so"), "plan loaded libcurl")
            #expect(!plan.stderr.contains("libgit2.so"), "plan loaded libgit2")

            let diff = try await runCLI(
                ["diff", "--config", config, "--gateway-url", h.sim.baseURL, "--api-key-file", keyFile],
                environment: traced, scratch: h.scratch)
            #expect(diff.status == 2, "\(diff)")
            #expect(diff.stderr.contains("file=libcurl.so.4"), "diff reached the gateway without loading libcurl?")
            #expect(!diff.stderr.contains("libgit2.so"), "diff reads a file, not a repository: libgit2 is not needed")
        }
    }

    @Test("gateway-sim --port 0 as a process: prints its URL, serves apply and diff, dies on SIGKILL")
    func gatewaySimProcess() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: cliPath), "build the CLI first: swift build")
        let scratch = NSTemporaryDirectory() + "synapse-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let keyFile = try Self.keyFile(in: scratch)
        let sim = try Child(["gateway-sim", "--port", "0", "--api-key-file", keyFile], environment: childEnvironment(), scratch: scratch)
        defer { sim.kill() }

        var url: String?
        let deadline = Date().addingTimeInterval(30)
        while url == nil && Date() < deadline && sim.process.isRunning {
            if let line = sim.stdout.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                let range = line.range(of: "http://")
            {
                url = String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces)
            }
            if url == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let base = try #require(url, "gateway-sim printed no URL: \(sim.stdout) \(sim.stderr)")
        #expect(!base.hasSuffix(":0"))

        let gateway = ["--gateway-url", base, "--api-key-file", keyFile]
        let config = examplePath("single-provider")
        let pending = try await runCLI(["diff", "--config", config] + gateway, scratch: scratch)
        #expect(pending.status == 2, "\(pending)")
        let apply = try await runCLI(["apply", "--config", config] + gateway, scratch: scratch)
        #expect(apply.status == 0, "\(apply)")
        let clean = try await runCLI(["diff", "--config", config] + gateway, scratch: scratch)
        #expect(clean.status == 0, "\(clean)")
        Self.assertNoSecrets([pending.stdout, pending.stderr, apply.stdout, apply.stderr, clean.stdout, clean.stderr, sim.stdout, sim.stderr])

        sim.kill()
        #expect(!sim.process.isRunning)
        #expect(sim.process.terminationReason == .uncaughtSignal)
    }
}
