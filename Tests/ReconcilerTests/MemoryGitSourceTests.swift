import Foundation
import Testing

@testable import Reconciler

@Suite("Memory: git fetches", .serialized)
struct MemoryGitSourceTests {
    /// libgit2 1.5's `git_remote_lookup` leaked PCRE2 match data (~20 KiB each) for every config entry; one lookup per
    /// fetch grew the daemon by ~120 KiB per reconcile, ~70 MiB over these 600 fetches.
    @Test func repeatedFetchesDoNotGrowMemory() throws {
        let fixture = try GitFixture()
        let origin = try fixture.makeRepository("origin")
        let head = try fixture.commit(in: origin, files: ["config.yaml": "model_list: []\n"], message: "initial")
        let source = try GitSource(options: GitSourceOptions(url: origin, ref: "main", cacheDir: fixture.folder("cache")))
        for _ in 0..<50 { #expect(try source.fetch().commit == head) }  // warm up: clone, caches, pack windows
        let before = try #require(MemoryProbe.residentBytes(), "VmRSS unreadable from /proc/self/status")
        for _ in 0..<600 { _ = try source.fetch() }
        let growth = try #require(MemoryProbe.residentBytes()) - before
        #expect(growth < 16 << 20, "resident memory grew by \(growth >> 10) KiB over 600 fetches")
    }
}
