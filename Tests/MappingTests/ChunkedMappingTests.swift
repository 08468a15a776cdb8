import SynapseContract
import Synchronization
import Testing

@testable import Mapping

/// Large configs are read and mapped in chunks, one per core (`ChunkedWork`). These configs are big enough to be
/// split, and check that the result is the one a single pass gives: the first error in config order, warnings in
/// config order, and first-come decisions (which deployment defines a shared model).
@Suite("Chunked mapping of large configs")
struct ChunkedMappingTests {
    static let size = 4 * ChunkedWork.minimumPerChunk

    /// `size` deployments, each on 7 lines; `replace` swaps in other lines for some entries.
    static func config(_ replace: [Int: String] = [:]) -> String {
        var yaml = "model_list:\n"
        for i in 0..<size {
            yaml += replace[i] ?? """
                  - model_name: group-\(i % 50)
                    litellm_params:
                      model: openai/model-\(i)
                      api_key: os.environ/OPENAI_API_KEY
                      rpm: \(100 + i)
                    model_info:
                      mode: chat

                """
        }
        return yaml
    }

    /// The line of deployment `i`'s first line (`- model_name:`) in `config()`.
    static func line(of i: Int) -> Int { 2 + 7 * i }

    @Test("these configs are cut in several chunks, on any machine")
    func configsAreChunked() {
        #expect(ChunkedWork.chunks(for: Self.size) > 1)
    }

    /// Counts its live instances: what `fill` initializes in place must be released exactly once.
    final class Tracked: Sendable {
        static let live = Mutex(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Tracked.live.withLock { $0 += 1 }
        }
        deinit { Tracked.live.withLock { $0 -= 1 } }
    }

    @Test("fill initializes every element in place, in order, or, when a chunk stops early, releases what it made")
    func fillInPlace() {
        let count = Self.size + 3
        let before = Tracked.live.withLock { $0 }
        do {
            let (elements, extras) = ChunkedWork.fill(count: count) { range, emit in
                for i in range { emit(Tracked(i)) }
                return range
            }
            #expect(elements?.map(\.value) == Array(0..<count))
            #expect(extras == ChunkedWork.ranges(for: count))
            #expect(extras.count > 1)
        }
        #expect(Tracked.live.withLock { $0 } == before)

        let stopAt = count / 2 + 1
        let (elements, extras) = ChunkedWork.fill(count: count) { range, emit in
            for i in range {
                if i == stopAt { return false }
                emit(Tracked(i))
            }
            return true
        }
        #expect(elements == nil)
        #expect(extras.filter { !$0 }.count == 1)
        #expect(Tracked.live.withLock { $0 } == before)
    }

    @Test("the first bad entry in config order is reported, whichever chunk meets it first")
    func firstReadErrorWins() {
        let broken = """
              - model_name: broken
                litellm_params:
                  api_key: os.environ/OPENAI_API_KEY
                  rpm: 1
                  tpm: 1
                model_info:
                  mode: chat

            """
        let early = Self.size / 2 - 3
        let error = mappingError(Self.config([early: broken, Self.size - 2: broken]))
        expectLocated(error, line: Self.line(of: early) + 2, mentioning: ["model_list[\(early)]", "litellm_params.model"])
    }

    @Test("an error found while mapping is the earliest one too")
    func firstMappingErrorWins() {
        func badTags(_ i: Int) -> String {
            """
              - model_name: tagged-\(i)
                litellm_params:
                  model: openai/tagged-\(i)
                  tags: {a: 1}
                  rpm: 1
                model_info:
                  mode: chat

            """
        }
        let early = 40
        let error = mappingError(Self.config([early: badTags(early), Self.size - 10: badTags(Self.size - 10)]))
        expectLocated(error, line: Self.line(of: early) + 3, mentioning: ["model_list[\(early)]", "tags"])
    }

    @Test("the os.environ/ check of model_list runs in chunks to one pass's result: first error in list order, before any read error")
    func environmentCheckKeepsOrder() throws {
        func entry(_ i: Int, apiKey: String, extra: String = "") -> String {
            """
              - model_name: env-\(i)
                litellm_params:
                  model: openai/env-\(i)
                  api_key: \(apiKey)\(extra)
                model_info:
                  mode: chat

            """
        }
        // The two errors are in different chunks on any machine (two chunks or more, each at most half the list).
        let late = Self.size / 2 - 3, later = Self.size - 2
        // `${…}` only warns: the warnings come in list order across chunks.
        let warnedAt = [2, Self.size / 2 + 3, later]
        var replace: [Int: String] = [:]
        for i in warnedAt { replace[i] = entry(i, apiKey: "prefix-${OPENAI_KEY}") }
        let result = try mapConfig(Self.config(replace))
        let warned = result.report.warnings.map(\.description).filter { $0.contains("${") }
        #expect(warned.count == warnedAt.count)
        for (warning, i) in zip(warned, warnedAt) { #expect(warning.contains("model_list[\(i)].litellm_params.api_key"), "\(warning)") }

        // The first invalid reference in list order is the one reported, not the one in the later chunk, and it is
        // reported although an entry before it has no litellm_params.model (a read error): the check runs on the
        // whole config before anything is read.
        replace = [1: "  - model_name: no-model\n    litellm_params: {api_key: os.environ/OPENAI_API_KEY}\n\n\n\n\n\n"]
        replace[late] = entry(late, apiKey: "os.environ/9-not-a-name")
        replace[later] = entry(later, apiKey: "os.environ/ALSO BAD")
        let error = mappingError(Self.config(replace))
        expectLocated(error, line: Self.line(of: late) + 3, mentioning: ["model_list[\(late)].litellm_params.api_key", "not valid"])
    }

    @Test("warnings keep config order across chunks; the first deployment of a shared model defines it")
    func orderIsKept() throws {
        func textRPM(_ i: Int, model: String) -> String {
            """
              - model_name: text-\(i)
                litellm_params:
                  model: openai/\(model)
                  api_key: os.environ/OPENAI_API_KEY
                  rpm: "100"
                model_info:
                  max_input_tokens: \(1000 + i)

            """
        }
        let indices = [3, Self.size / 2 + 1, Self.size - 1]
        var replace: [Int: String] = [:]
        for i in indices { replace[i] = textRPM(i, model: "shared") }
        let result = try mapConfig(Self.config(replace))
        let warned = result.report.warnings.map(\.description).filter { $0.contains("is written as text") }
        #expect(warned.count == indices.count)
        for (warning, i) in zip(warned, indices) { #expect(warning.contains("model_list[\(i)].rpm"), "\(warning)") }
        let shared = try #require(result.desired.object(ObjectRef(kind: .model, key: "shared|OPEN_AI")))
        #expect(shared.fields["limits"]?["contextWindow"] == .int(1003))
        #expect(shared.sources.count == indices.count)
        #expect(result.desired.count(of: .model) == Self.size - indices.count + 1)
    }
}
