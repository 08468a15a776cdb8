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

    @Test func aMissingFileAndAFolderAreNamedAsSuch() throws {
        let s = Scratch()
        s.write("folder/config.yaml", "model_list: []\n")
        try FileManager.default.createSymbolicLink(atPath: s.path("loop.yaml"), withDestinationPath: s.path("loop.yaml"))
        for (path, expected) in [
            (s.path("missing.yaml"), "file not found: \(s.path("missing.yaml"))"),
            (s.path("folder/config.yaml/x.yaml"), "file not found: \(s.path("folder/config.yaml/x.yaml")) (Not a directory)"),
            (s.path("loop.yaml"), "file not found: \(s.path("loop.yaml")) (Too many levels of symbolic links)"),
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

    /// Writes `text` into the pipe at `path` from another thread while the caller reads it.
    static func feed(_ path: String, _ text: String) {
        Thread {
            // A reader that stops early (over its limit) closes the pipe: the write then fails with EPIPE instead of
            // raising SIGPIPE, which would end the whole test process.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            // If the pipe cannot be opened for writing, it is opened read-write and closed: the reader's open
            // returns and it reads an empty pipe (and its test fails) instead of waiting forever for a writer.
            guard let handle = FileHandle(forWritingAtPath: path) else {
                close(open(path, O_RDWR))
                return
            }
            try? handle.write(contentsOf: Data(text.utf8))
            try? handle.close()
        }.start()
    }

    @Test func aPipeIsReadToItsEnd() throws {
        let s = Scratch()
        let path = s.path("config.fifo")
        try #require(mkfifo(path, 0o600) == 0)
        // Several reads' worth: a pipe has no size to go by.
        let text = String(repeating: "model_list: []\n", count: 20_000)
        Self.feed(path, text)
        #expect(try LocalFileSource().readFile(path) == Array(text.utf8))
    }

    @Test func aPipeOverTheLimitIsRefused() throws {
        let s = Scratch()
        let path = s.path("config.fifo")
        try #require(mkfifo(path, 0o600) == 0)
        Self.feed(path, String(repeating: "#\n", count: 100_000))
        do {
            _ = try LocalFileSource(maxBytes: 150_000).readFile(path)
            Issue.record("200,000 bytes from a pipe were read with a 150,000-byte limit")
        } catch {
            #expect(error.message == "\(path) is larger than the 150000-byte limit for a config file")
        }
    }
}
