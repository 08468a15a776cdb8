/// UTF-8 text built as bytes, for the large files `plan` writes (payload JSON, the migration report).
///
/// Appending a `String` copies its UTF-8 bytes in one go, without the per-character bookkeeping of `String.append`.
/// A buffer made with a ``TextSink`` hands its bytes to the sink whenever it holds more than `chunkSize`, so a
/// 10 MB file never sits in memory whole; call ``finish()`` to hand over the rest.
///
/// ```swift
/// var out = TextBuffer()
/// out.append("rows: ")
/// out.append(42)
/// let text = out.string   // "rows: 42"
/// ```
public struct TextBuffer {
    public private(set) var bytes: [UInt8] = []
    private let sink: (any TextSink)?
    private let chunkSize: Int

    /// Keeps all the text in memory (read it with ``string`` or ``bytes``).
    public init(capacity: Int = 0) {
        sink = nil
        chunkSize = .max
        bytes.reserveCapacity(capacity)
    }

    /// Hands the text to `sink` in chunks of about `chunkSize` bytes.
    public init(sink: any TextSink, chunkSize: Int = 1 << 18) {
        self.sink = sink
        self.chunkSize = chunkSize
        bytes.reserveCapacity(chunkSize + 4096)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func append(_ text: String) {
        var text = text
        // Native strings are contiguous: this is one copy (a bridged or lazy string is made contiguous first).
        text.withUTF8 { bytes.append(contentsOf: $0) }
        if bytes.count >= chunkSize { drain() }
    }

    public mutating func append(_ text: Substring) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        if bytes.count >= chunkSize { drain() }
    }

    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func append(_ raw: [UInt8]) {
        raw.withUnsafeBufferPointer { append($0) }
    }

    public mutating func append(_ raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
        if bytes.count >= chunkSize { drain() }
    }

    /// A decimal integer, as `String(value)` writes it.
    public mutating func append(_ value: Int) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        // Digits are written backwards into a fixed 20-byte scratch (Int.min has 19 digits), then copied in order.
        withUnsafeMutableBytes(of: &digits) { scratch in
            var magnitude = value.magnitude
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: scratch[start...])
        }
    }

    /// `count` spaces.
    public mutating func appendSpaces(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }

    /// Hands what is buffered to the sink (nothing happens without one).
    private mutating func drain() {
        guard let sink, !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { sink.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Hands the rest to the sink.
    public mutating func finish() {
        drain()
    }
}

/// Where a ``TextBuffer`` sends its bytes (a file being written). Errors are kept by the sink and reported when it
/// is closed, so that rendering code need not handle them at every line.
public protocol TextSink: AnyObject {
    func write(_ bytes: UnsafeBufferPointer<UInt8>)
}
