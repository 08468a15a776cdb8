/// Base64 as `!!binary` needs it: decoding exactly like Python's lenient `base64.decodebytes` (characters outside the
/// alphabet are skipped, padding ends the data), and standard encoding for the JSON form.
///
/// ```swift
/// Array("aGVs bG8=".utf8).withUnsafeBufferPointer { try YAMLBase64.decode($0) }   // "hello"
/// YAMLBase64.encode(Array("hello".utf8))                                          // "aGVsbG8="
/// ```
enum YAMLBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// CPython's `binascii.a2b_base64` in non-strict mode.
    static func decode(_ s: UnsafeBufferPointer<UInt8>) throws(ConfigError) -> [UInt8] {
        if let bad = s.firstIndex(where: { $0 >= 0x80 }) {
            throw ConfigError("binary data must be ASCII base64 (non-ASCII character at position \(bad))", at: nil,
                              hint: "encode the bytes with base64")
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 4 * 3)
        var quadPosition = 0
        var left: UInt8 = 0
        var pads = 0
        var dataCharacters = 0
        scan: for c in s {
            if c == UInt8(ascii: "=") {
                if quadPosition >= 2 {
                    pads += 1
                    if quadPosition + pads >= 4 { quadPosition = 0; break scan }
                }
                continue
            }
            let v = table[Int(c)]
            if v == 0xFF { continue }
            pads = 0
            dataCharacters += 1
            switch quadPosition {
            case 0: left = v; quadPosition = 1
            case 1: out.append(left << 2 | v >> 4); left = v & 0x0F; quadPosition = 2
            case 2: out.append(left << 4 | v >> 2); left = v & 0x03; quadPosition = 3
            default: out.append(left << 6 | v); quadPosition = 0
            }
        }
        if quadPosition == 1 {
            throw ConfigError("invalid base64 data: number of data characters (\(dataCharacters)) cannot be 1 more "
                              + "than a multiple of 4", at: nil, hint: "check the !!binary value")
        }
        if quadPosition != 0 {
            throw ConfigError("invalid base64 data: incorrect padding", at: nil, hint: "end the !!binary value with '='")
        }
        return out
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
