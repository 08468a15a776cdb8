/// SplitMix64: a small, fast generator whose sequence is fixed by its seed, so fault injection is reproducible.
///
/// ```swift
/// var rng = SeededRandom(seed: 42)
/// let roll = rng.nextUnit()   // the same value on every run with seed 42
/// ```
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Whether an event with this probability happens; a probability of 0 never draws, so enabling one fault
    /// does not shift the sequence another fault sees.
    mutating func chance(_ probability: Double) -> Bool {
        guard probability > 0 else { return false }
        return nextUnit() < probability
    }

    /// A random UUID (version 4 layout), from this generator.
    mutating func uuid() -> String {
        let a = next(), b = next()
        let hex = String(a, radix: 16).leftPadded(to: 16) + String(b, radix: 16).leftPadded(to: 16)
        var chars = Array(hex)
        chars[12] = "4"
        chars[16] = ["8", "9", "a", "b"][Int(b >> 62)]
        let s = String(chars)
        func part(_ from: Int, _ to: Int) -> Substring {
            s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: to)]
        }
        return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
    }

    /// `count` random lowercase hexadecimal digits.
    mutating func hex(_ count: Int) -> String {
        var out = ""
        while out.count < count { out += String(next(), radix: 16).leftPadded(to: 16) }
        return String(out.prefix(count))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
