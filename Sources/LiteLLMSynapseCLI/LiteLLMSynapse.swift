import ArgumentParser
import CMalloc
import FoundationEssentials
import Glibc
import Reconciler

/// `litellm-synapse`: keeps a Synapse gateway in sync with a LiteLLM config kept in git.
@main
struct LiteLLMSynapse: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "litellm-synapse",
        abstract: "Map a LiteLLM proxy config to a Synapse gateway and keep the two in sync.",
        discussion: """
            Offline: `plan` writes payloads, apply.sh and a migration report; `inspect` shows what was read.
            Against a gateway: `diff` shows pending changes, `apply` reconciles once, `validate` checks.
            `watch` is the controller daemon: git → gateway, on push and on a timer.
            `gateway-sim` serves a local in-memory gateway to rehearse on.
            Exit codes: 0 success (for diff: in sync), 1 error, 2 changes pending (diff).
            """,
        version: version,
        subcommands: [
            PlanCommand.self, InspectCommand.self, DiffCommand.self, ApplyCommand.self, ValidateCommand.self, MigrateCommand.self,
            WatchCommand.self, GatewaySimCommand.self,
        ]
    )

    static func main() async {
        // glibc raises its mmap threshold to the largest block freed (up to 32 MiB): after a large config's YAML
        // arrays are freed, every later buffer comes from the heap and the freed memory stays resident. A fixed
        // threshold (glibc's initial one) keeps large buffers mapped on their own and returned when freed: `plan`
        // on 10,000 deployments peaks about 4 MiB lower.
        _ = mallopt(M_MMAP_THRESHOLD, 128 << 10)
        // Free memory at the top of a heap is handed back past 4 MiB, not glibc's 128 KiB: with the threads' heaps
        // reserved (cmalloc_reserve_thread_heap) the top is often that large, and handing it back after each large
        // free (an madvise call, then page faults to use it again) cost more than it saved: `plan` on 10,000
        // deployments is about 3 ms faster, at the same peak.
        _ = mallopt(M_TRIM_THRESHOLD, 4 << 20)
        await main(nil)
    }
}

/// Prints an error the way every command does (`error: file:line:col: what; what to do`) and exits 1.
func fail(_ message: Any) -> ExitCode {
    StandardStream.error.write("error: \(message)\n")
    return ExitCode(1)
}

func printWarning(_ message: Any) {
    StandardStream.error.write("warning: \(message)\n")
}

/// Standard output or error, written to directly (unbuffered, so lines from several threads do not interleave mid-line).
enum StandardStream {
    case output, error

    func write(_ text: String) {
        var text = text
        let descriptor = self == .output ? STDOUT_FILENO : STDERR_FILENO
        // A failed write to stdout/stderr has nowhere to be reported.
        text.withUTF8 { _ = writeAll(descriptor, $0) }
    }
}
