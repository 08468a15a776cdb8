import Foundation
import Mapping
import Testing

@testable import Reconciler

/// The git source against real repositories on disk (local path and file:// remotes).
@Suite struct GitSourceTests {
    let fixture: GitFixture
    let origin: String
    let first: String

    init() throws {
        fixture = try GitFixture()
        origin = try fixture.makeRepository("origin")
        first = try fixture.commit(
            in: origin,
            files: ["config.yaml": "include:\n  - configs/models.yaml\n", "configs/models.yaml": "model_list: []\n"],
            message: "First config\n\nWith a body line.")
    }

    private func source(url: String? = nil, ref: String? = nil, cache: String = "cache") throws -> GitSource {
        try GitSource(options: GitSourceOptions(url: url ?? origin, ref: ref, cacheDir: fixture.folder(cache)))
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func clonesALocalPathAndReadsFilesAtTheDefaultBranch() throws {
        let source = try source()
        let revision = try source.fetch()
        #expect(revision.commit == first)
        #expect(revision.ref == "refs/heads/main")
        #expect(revision.summary == "First config")
        #expect(revision.message.hasPrefix("First config\n\nWith a body line."))
        #expect(revision.author == "Ada Author")
        #expect(revision.authorEmail == "ada@example.com")
        #expect(revision.time == 1_700_000_000 + 3 * 60)  // the third git call of the fixture made the commit

        let files = try source.fileSource(at: revision.commit)
        #expect(text(try files.readFile("config.yaml")) == "include:\n  - configs/models.yaml\n")
        // An include in a subfolder, read at the same commit, also through `./` and `..` segments.
        #expect(text(try files.readFile("configs/models.yaml")) == "model_list: []\n")
        #expect(text(try files.readFile("./configs/../configs/./models.yaml")) == "model_list: []\n")
        #expect(FileManager.default.fileExists(atPath: fixture.folder("cache/repo.git/HEAD")))
        #expect(!FileManager.default.fileExists(atPath: fixture.folder("cache/repo.git/config.yaml")))
    }

    @Test func clonesAFileURL() throws {
        let revision = try source(url: "file://" + origin).fetch()
        #expect(revision.commit == first)
    }

    @Test func missingAndEscapingPathsAreConfigErrors() throws {
        let source = try source()
        let files = try source.fileSource(at: try source.fetch().commit)
        let missing = #expect(throws: ConfigError.self) { try files.readFile("configs/absent.yaml") }
        #expect(missing?.description.contains("configs/absent.yaml") == true)
        #expect(missing?.description.contains(String(first.prefix(12))) == true)
        for escaping in ["../secrets.yaml", "configs/../../x.yaml", "/etc/passwd"] {
            let error = #expect(throws: ConfigError.self) { try files.readFile(escaping) }
            #expect(error?.description.contains("includes must stay inside the repository") == true, "\(escaping)")
        }
        #expect(throws: ConfigError.self) { try files.readFile("configs") }
    }

    @Test func fetchesNewCommitsIncrementallyAcrossInstances() throws {
        #expect(try source().fetch().commit == first)
        // A file the cache would lose if it were cloned again.
        let marker = fixture.folder("cache/repo.git/marker")
        try Data("kept".utf8).write(to: URL(fileURLWithPath: marker))

        let second = try fixture.commit(in: origin, files: ["config.yaml": "model_list: [changed]\n"], message: "Second")
        let restarted = try source()
        let revision = try restarted.fetch()
        #expect(revision.commit == second)
        #expect(revision.summary == "Second")
        #expect(FileManager.default.fileExists(atPath: marker))
        // Both commits stay readable, each with its own content.
        #expect(text(try restarted.fileSource(at: second).readFile("config.yaml")) == "model_list: [changed]\n")
        #expect(text(try restarted.fileSource(at: first).readFile("config.yaml")).hasPrefix("include:"))

        // Same instance, one more commit.
        let third = try fixture.commit(in: origin, files: ["c.yaml": "x: 1\n"], message: "Third")
        #expect(try restarted.fetch().commit == third)
    }

    @Test func followsAForcePushOfRewrittenHistory() throws {
        let second = try fixture.commit(in: origin, files: ["config.yaml": "v: 2\n"], message: "Second")
        let source = try source()
        #expect(try source.fetch().commit == second)

        try fixture.git(["reset", "-q", "--hard", first], in: origin)
        let rewritten = try fixture.commit(in: origin, files: ["config.yaml": "v: rewritten\n"], message: "Rewritten")
        let revision = try source.fetch()
        #expect(revision.commit == rewritten)
        #expect(text(try source.fileSource(at: rewritten).readFile("config.yaml")) == "v: rewritten\n")
    }

    @Test func resolvesBranchesTagsAndCommitIds() throws {
        try fixture.git(["tag", "-a", "v1", "-m", "release 1"], in: origin)
        try fixture.git(["tag", "light"], in: origin)
        try fixture.git(["checkout", "-q", "-b", "feature"], in: origin)
        let feature = try fixture.commit(in: origin, files: ["f.yaml": "f: 1\n"], message: "Feature")
        try fixture.git(["checkout", "-q", "main"], in: origin)
        let later = try fixture.commit(in: origin, files: ["config.yaml": "later: 1\n"], message: "Later")

        let annotated = try source(ref: "v1").fetch()
        #expect(annotated.commit == first)  // peeled from the tag object to its commit
        #expect(annotated.ref == "refs/tags/v1")
        #expect(try source(ref: "refs/tags/v1").fetch().commit == first)
        #expect(try source(ref: "light").fetch().commit == first)
        #expect(try source(ref: "feature").fetch().commit == feature)
        let full = try source(ref: "refs/heads/feature").fetch()
        #expect(full.commit == feature)
        #expect(full.ref == "refs/heads/feature")
        #expect(try source(ref: "main").fetch().commit == later)
        let pinned = try source(ref: first).fetch()
        #expect(pinned.commit == first)
        #expect(pinned.ref == first)
    }

    @Test func unknownRefsAndCommitsAreRefNotFound() throws {
        let branch = #expect(throws: GitSourceError.self) { try source(ref: "nope").fetch() }
        #expect(branch?.kind == .refNotFound)
        #expect(branch?.message.contains("nope") == true)
        let commit = #expect(throws: GitSourceError.self) { try source(ref: String(repeating: "ab", count: 20)).fetch() }
        #expect(commit?.kind == .refNotFound)
        let other = #expect(throws: GitSourceError.self) { try source(ref: "refs/pull/1/head").fetch() }
        #expect(other?.kind == .refNotFound)
    }

    @Test func aDeletedBranchIsRefNotFoundAfterTheNextFetch() throws {
        try fixture.git(["branch", "release"], in: origin)
        let source = try source(ref: "release")
        #expect(try source.fetch().commit == first)
        try fixture.git(["branch", "-D", "release"], in: origin)
        let error = #expect(throws: GitSourceError.self) { try source.fetch() }
        #expect(error?.kind == .refNotFound)
        #expect(error?.message.contains("release") == true)
        // Files of the last good commit stay readable from the cache.
        #expect(text(try source.fileSource(at: first).readFile("config.yaml")).hasPrefix("include:"))
    }

    @Test func anEmptyRemoteHasNoDefaultBranch() throws {
        let empty = try fixture.makeRepository("empty")
        let error = #expect(throws: GitSourceError.self) { try source(url: empty).fetch() }
        #expect(error?.kind == .refNotFound)
    }

    @Test func recreatesACorruptCacheOrOneForAnotherURL() throws {
        // Garbage where the bare clone should be.
        let broken = fixture.folder("cache/repo.git")
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        try Data("not a repository".utf8).write(to: URL(fileURLWithPath: broken + "/HEAD"))
        #expect(try source().fetch().commit == first)

        // The same cache folder, now for another repository.
        let other = try fixture.makeRepository("other")
        let otherCommit = try fixture.commit(in: other, files: ["config.yaml": "other: 1\n"], message: "Other")
        let switched = try source(url: other)
        #expect(try switched.fetch().commit == otherCommit)
        #expect(text(try switched.fileSource(at: otherCommit).readFile("config.yaml")) == "other: 1\n")
    }

    @Test func fileSourceRejectsUnknownCommits() throws {
        let source = try source()
        _ = try source.fetch()
        #expect(throws: GitSourceError.self) { try source.fileSource(at: String(repeating: "0", count: 40)) }
        #expect(throws: GitSourceError.self) { try source.fileSource(at: "main") }
    }

    @Test func fileSourceIsUsableFromAnotherTask() async throws {
        let source = try source()
        let files = try source.fileSource(at: try source.fetch().commit)
        let bytes = try await Task.detached { try files.readFile("configs/models.yaml") }.value
        #expect(text(bytes) == "model_list: []\n")
    }
}
