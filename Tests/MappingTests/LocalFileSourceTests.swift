import Foundation
import Testing

@testable import Mapping

@Suite("Reading config files from disk")
struct LocalFileSourceTests {
    @Test func aFileIsReadWhole() throws {
        let s = Scratch()
        // Larger than one read and not a multiple of a page, with every byte value.
        let bytes = (0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: s.path("big.bin")))
        #expect(try LocalFileSource().readFile(s.path("big.bin")) == bytes)
        s.write("empty.yaml", "")
        #expect(try LocalFileSource().readFile(s.path("empty.yaml")) == [])
    }

    @Test func aFileOverTheLimitIsRefusedWithItsSizeBeforeItIsRead() {
        let s = Scratch()
        let path = s.write("config.yaml", String(repeating: "# padding\n", count: 100))
        do {
            _ = try LocalFileSource(maxBytes: 999).readFile(path)
            Issue.record("a 1000-byte file was read with a 999-byte limit")
        } catch {
            #expect(error.message == "\(path) is 1000 bytes, more than the 999-byte limit for a config file")
        }
        #expect((try? LocalFileSource(maxBytes: 1000).readFile(path))?.count == 1000)
    }

    @Test func aMissingFileAndAFolderAreNamedAsSuch() {
        let s = Scratch()
        s.write("folder/config.yaml", "model_list: []\n")
        for (path, expected) in [
            (s.path("missing.yaml"), "file not found: \(s.path("missing.yaml"))"),
            (s.path("folder/config.yaml/x.yaml"), "file not found: \(s.path("folder/config.yaml/x.yaml"))"),
            (s.path("folder"), "\(s.path("folder")) is a directory, not a config file"),
        ] {
            do {
                _ = try LocalFileSource().readFile(path)
                Issue.record("\(path) was read")
            } catch {
                #expect(error.message == expected)
            }
        }
    }

    @Test func aPipeIsReadToItsEnd() async throws {
        let s = Scratch()
        let path = s.path("config.fifo")
        try #require(mkfifo(path, 0o600) == 0)
        // Several reads' worth, written from another thread while the source reads: a pipe has no size to go by.
        let text = String(repeating: "model_list: []\n", count: 20_000)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)
            handle?.write(Data(text.utf8))
            try? handle?.close()
        }
        writer.start()
        #expect(try LocalFileSource().readFile(path) == Array(text.utf8))
    }
}
