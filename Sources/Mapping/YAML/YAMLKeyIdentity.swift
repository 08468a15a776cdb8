#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// When two mapping keys are the same key in a Python dict: `1`, `1.0` and `true` are one key; strings compare by
/// code points (not by Unicode canonical equivalence, as Swift's `String ==` would); every `.nan` is one key
/// (PyYAML returns the same NaN object, and dict lookup checks identity first).
///
/// ```swift
/// YAMLKeyIdentity(.int(1)) == YAMLKeyIdentity(.bool(true))   // true
/// ```
enum YAMLKeyIdentity: Hashable {
    case null
    case integer(YAMLNode.Value)  // .int or .bigInt, normalised
    case real(Double)             // not integral, or infinite
    case nan
    case string(CodePoints)
    case date(String)
    case timestamp(String)
    case binary([UInt8])

    /// A string compared and hashed by its UTF-8 bytes.
    struct CodePoints: Hashable {
        let text: String
        static func == (a: CodePoints, b: CodePoints) -> Bool { YAMLKeyIdentity.sameBytes(a.text, b.text) }
        func hash(into hasher: inout Hasher) {
            var copy = text
            copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Whether two strings have the same code points (Swift's `==` would also equate canonically equivalent ones).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
            }
        }
        return (fast ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    /// nil for values Python cannot hash (lists, dicts, sets).
    init?(_ value: YAMLNode.Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .integer(.int(b ? 1 : 0))
        case .int, .bigInt: self = .integer(value)
        case .float(let d):
            if d.isNaN { self = .nan; return }
            guard d.isFinite, d.rounded(.towardZero) == d else { self = .real(d); return }
            if let i = Int(exactly: d) { self = .integer(.int(i)); return }
            // An integral double beyond Int: its exact decimal value, as Python compares it with an int.
            let significand = d.significandBitPattern | (1 << UInt64(Double.significandBitCount))
            var exact = YAMLInteger()
            exact.multiplyAdd(by: 1, adding: UInt32(significand >> 32))
            exact.multiplyAdd(by: 1 << 16, adding: 0)
            exact.multiplyAdd(by: 1 << 16, adding: UInt32(significand & 0xFFFF_FFFF))
            for _ in 0..<(Int(d.exponent) - Double.significandBitCount) { exact.multiplyAdd(by: 2, adding: 0) }
            self = .integer(exact.value(negative: d < 0))
        case .string(let s): self = .string(CodePoints(text: s))
        case .date(let s): self = .date(s)
        case .timestamp(let s): self = .timestamp(s)
        case .binary(let b): self = .binary(b)
        case .sequence, .mapping: return nil
        }
    }
}
