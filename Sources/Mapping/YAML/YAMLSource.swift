#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Input

/// The input bytes at a stable address (freed with the source), and positions in them.
final class YAMLSource {
    let file: String
    let buffer: UnsafeMutableBufferPointer<UInt8>
    /// 3 when the file starts with a UTF-8 byte order mark (libyaml skips it and does not count it in marks).
    let bomLength: Int
    /// A private-use character that stands in for byte order marks after the start (see `init`), or nil.
    let bomStandIn: [UInt8]?
    let hasTabs: Bool

    convenience init(_ bytes: [UInt8], file: String, limits: YAMLLimits) throws(ConfigError) {
        try self.init(prefix: [], bytes[...], file: file, limits: limits)
    }

    /// `prefix` followed by `body`: a part of a file read on its own (see `YAMLPartedLoad`).
    init(prefix: [UInt8], _ body: ArraySlice<UInt8>, file: String, limits: YAMLLimits) throws(ConfigError) {
        self.file = file
        let top = SourceLocation(file: file, line: 1, column: 1)
        let count = prefix.count + body.count
        // Offsets are kept in 32 bits: whatever the limit says, nothing near 2 GiB.
        guard count <= min(limits.maxBytes, 1 << 30) else {
            throw ConfigError(
                "the file is \(count) bytes, more than the \(min(limits.maxBytes, 1 << 30)) bytes a config may have", at: top,
                hint: "check that this is the right file; split a very large config with LiteLLM's include:")
        }
        // At least one byte allocated (for an empty file), but exactly the file's bytes in view.
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
        buffer = UnsafeMutableBufferPointer(start: storage, count: count)
        prefix.withUnsafeBufferPointer { if let base = $0.baseAddress { storage.update(from: base, count: $0.count) } }
        body.withUnsafeBufferPointer { if let base = $0.baseAddress { (storage + prefix.count).update(from: base, count: $0.count) } }
        // LiteLLM opens the config as UTF-8 text: a UTF-16 or UTF-32 file fails to decode before YAML sees it.
        if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) || buffer.starts(with: [0, 0, 0xFE, 0xFF]) {
            storage.deallocate()
            throw ConfigError(
                "the file is UTF-16 or UTF-32 encoded (it starts with a byte order mark for it)", at: top,
                hint: "LiteLLM reads its config as UTF-8: save the file as UTF-8")
        }
        bomLength = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        hasTabs = YAMLSource.find(0x09, in: buffer, from: 0) != nil

        // PyYAML treats a byte order mark anywhere but at the very start as an ordinary character; libyaml skips
        // one at the start of any line. Hand libyaml an unused private-use character instead and map it back.
        var standIn: [UInt8]? = nil
        if YAMLSource.findBOM(in: buffer, from: bomLength) != nil {
            guard let candidate = YAMLSource.unusedPrivateCharacter(in: buffer) else {
                storage.deallocate()
                throw ConfigError(
                    "the file has byte order marks (U+FEFF) after its start", at: top,
                    hint: "remove them; save the file as plain UTF-8")
            }
            var i = bomLength
            while let at = YAMLSource.findBOM(in: buffer, from: i) {
                buffer[at] = candidate[0]; buffer[at + 1] = candidate[1]; buffer[at + 2] = candidate[2]
                i = at + 3
            }
            standIn = candidate
        }
        bomStandIn = standIn
    }

    deinit { buffer.baseAddress?.deallocate() }

    /// Where each line starts. The composer's retries patch single characters, never line breaks, so one table
    /// serves them all.
    private(set) lazy var lineStarts: [Int] = computeLineStarts()

    static func find(_ byte: UInt8, in b: UnsafeMutableBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < b.count, let base = b.baseAddress,
            let hit = memchr(base + from, Int32(byte), b.count - from)
        else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func findBOM(in b: UnsafeMutableBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while let at = find(0xEF, in: b, from: i) {
            if at + 2 < b.count, b[at + 1] == 0xBB, b[at + 2] == 0xBF { return at }
            i = at + 1
        }
        return nil
    }

    /// A character in U+E000…U+EFFF (three UTF-8 bytes, EE xx xx) that the input does not contain.
    private static func unusedPrivateCharacter(in b: UnsafeMutableBufferPointer<UInt8>) -> [UInt8]? {
        var used = [Bool](repeating: false, count: 4096)
        var i = 0
        while i + 2 < b.count {
            if b[i] == 0xEE { used[Int(b[i + 1] & 0x3F) << 6 | Int(b[i + 2] & 0x3F)] = true }
            i += 1
        }
        guard let free = used.firstIndex(of: false) else { return nil }
        return [0xEE, 0x80 | UInt8(free >> 6), 0x80 | UInt8(free & 0x3F)]
    }

    /// A printable ASCII character the input does not contain (not `#` or a quote), or nil.
    func unusedASCIICharacter() -> UInt8? {
        var used = [Bool](repeating: false, count: 128)
        for c in buffer where c < 128 { used[Int(c)] = true }
        return (0x21...0x7E).first { !used[$0] && $0 != 0x23 && $0 != 0x22 && $0 != 0x27 }.map(UInt8.init)
    }

    // MARK: Positions

    /// Byte offsets where each line starts, counting line breaks as YAML does (\r\n, \r, \n, U+0085, U+2028, U+2029).
    private func computeLineStarts() -> [Int] {
        var starts = [bomLength]
        var i = bomLength
        let b = buffer
        while i < b.count {
            let c = b[i]
            if c == 0x0A {
                starts.append(i + 1)
            } else if c == 0x0D {
                if i + 1 < b.count, b[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            } else if c == 0xC2, i + 1 < b.count, b[i + 1] == 0x85 {
                i += 1
                starts.append(i + 1)
            } else if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 {
                i += 2
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    /// The byte offset of a 0-based line and character column.
    func byteOffset(line: Int, column: Int) -> Int {
        guard line < lineStarts.count else { return buffer.count }
        var i = lineStarts[line]
        var chars = 0
        while i < buffer.count, chars < column {
            i += 1
            while i < buffer.count, buffer[i] & 0xC0 == 0x80 { i += 1 }
            chars += 1
        }
        return i
    }

    /// The 1-based line and column of a byte offset.
    func location(ofByte offset: Int) -> SourceLocation {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 0
        var i = lineStarts[lo]
        while i < min(offset, buffer.count) {
            if buffer[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(file: file, line: lo + 1, column: column + 1)
    }
}

