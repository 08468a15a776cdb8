/// An unbounded integer for YAML 1.1 integers beyond `Int` (Python's ints have no size limit).
///
/// Only what PyYAML's int construction needs: digits in base 2, 8, 10 or 16, multiply-add for sexagesimal
/// (`1:30` is 90), and conversion to `Int` or decimal text.
///
/// ```swift
/// var n = YAMLInteger()
/// n.multiplyAdd(by: 16, adding: 0xFF)
/// n.value(negative: false)   // .int(255)
/// ```
struct YAMLInteger {
    /// Little-endian base-2^32 limbs; empty means zero.
    private var limbs: [UInt32] = []

    mutating func multiplyAdd(by factor: UInt32, adding addend: UInt32) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func add(_ other: YAMLInteger) {
        var carry: UInt64 = 0
        for i in 0..<max(limbs.count, other.limbs.count) {
            if i == limbs.count { limbs.append(0) }
            let sum = UInt64(limbs[i]) + UInt64(i < other.limbs.count ? other.limbs[i] : 0) + carry
            limbs[i] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// `.int` when it fits, otherwise `.bigInt` with the decimal digits.
    func value(negative: Bool) -> YAMLNode.Value {
        let significant = limbs.lastIndex(where: { $0 != 0 }).map { $0 + 1 } ?? 0
        if significant <= 2 {
            let magnitude = significant == 0 ? 0 : UInt64(limbs[0]) | (significant == 2 ? UInt64(limbs[1]) << 32 : 0)
            if magnitude <= UInt64(Int.max) { return .int(negative ? -Int(magnitude) : Int(magnitude)) }
            if negative && magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
        }
        return .bigInt((negative ? "-" : "") + decimalDigits())
    }

    private func decimalDigits() -> String {
        var rest = limbs
        var chunks: [UInt32] = []  // base 10^9, least significant first
        while rest.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in rest.indices.reversed() {
                let current = (remainder << 32) | UInt64(rest[i])
                rest[i] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
        }
        guard let top = chunks.last else { return "0" }
        var text = String(top)
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
