import Foundation
import SynapseContract
import Testing

@testable import Mapping

@Suite("the LiteLLM docs corpus")
struct CorpusTests {
    @Test func everyCorpusConfigMapsOrFailsWithALocatedError() throws {
        let files = corpusIndex.filter { $0.file.hasSuffix(".yaml") }
        try #require(files.count > 500, "corpus not found at \(corpusFolder)")
        var mapped = 0, located = 0, rejected = 0
        var slowest: (file: String, seconds: Double) = ("", 0)
        var reasons: [String: Int] = [:]
        for (file, pyyamlAccepts) in files {
            let path = corpusFolder + "/" + file
            let start = DispatchTime.now().uptimeNanoseconds
            var outcome: Result<MappingResult, ConfigError>
            do {
                outcome = .success(try MappingPipeline.map(configPath: path, source: LocalFileSource()))
            } catch {
                outcome = .failure(error)
            }
            // Rendering is part of "finishing": a plan writes every file.
            if case .success(let result) = outcome {
                _ = PlanPayloads.files(for: result.desired)
                _ = ApplyScript.render(for: result.desired)
                _ = MigrationReport.render(result)
                _ = PlanJSON.render(result).serialized()
                checkReportCoversEveryKey(result, try ConfigLoader(source: LocalFileSource()).load(path), label: file)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if seconds > slowest.seconds { slowest = (file, seconds) }
            switch outcome {
            case .success:
                #expect(pyyamlAccepts, "\(file): PyYAML rejects it, but it mapped")
                mapped += 1
            case .failure(let error):
                #expect(error.location != nil, "\(file): error without a location: \(error)")
                #expect(error.location?.file == path || error.location?.file.hasPrefix(corpusFolder) == true, "\(file): \(error)")
                #expect(!error.hint.isEmpty, "\(file): error without a hint: \(error)")
                if pyyamlAccepts { located += 1 } else { rejected += 1 }
                let reason = String(error.message.prefix(40))
                reasons[reason, default: 0] += 1
            }
        }
        print("corpus: \(files.count) configs: \(mapped) mapped, \(located) located ConfigErrors on PyYAML-valid configs, \(rejected) PyYAML-rejected configs refused; slowest \(slowest.file) \(String(format: "%.3f", slowest.seconds)) s")
        for (reason, count) in reasons.sorted(by: { $0.value > $1.value }).prefix(15) { print("  \(count) × \(reason)") }
        #expect(rejected == files.filter { !$0.pyyamlAccepts }.count, "every PyYAML-rejected config must be refused")
        #expect(mapped > located, "most PyYAML-valid configs map")
        #expect(slowest.seconds < 2.0, "slowest config \(slowest.file) took \(slowest.seconds) s")
    }
}
