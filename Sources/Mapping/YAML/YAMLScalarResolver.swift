/// PyYAML's YAML 1.1 implicit typing of plain scalars and SafeConstructor's scalar construction, on raw UTF-8 bytes.
///
/// Each matcher is a hand-written, deterministic form of one regular expression in `yaml/resolver.py` (PyYAML 6);
/// construction follows `yaml/constructor.py` including its quirks (`1e3` is a string, `1:30` is 90, `0b_` fails).
///
/// ```swift
/// Array("0x1F".utf8).withUnsafeBufferPointer { YAMLScalarResolver.resolve($0) }   // .int
/// ```
enum YAMLScalarResolver {
    /// The tag PyYAML's resolver gives a plain scalar.
    enum Implicit: Equatable {
        case null, bool(Bool), int, float, timestamp, merge, value, string
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    // MARK: Implicit resolution

    static func resolve(_ s: Bytes) -> Implicit {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return bool(s).map(Implicit.bool) ?? .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if let b = bool(s) { return .bool(b) }
            return isNull(s) ? .null : .string
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .string
        case UInt8(ascii: "<"):
            return s.count == 2 && s[1] == UInt8(ascii: "<") ? .merge : .string
        case UInt8(ascii: "="):
            return s.count == 1 ? .value : .string
        case UInt8(ascii: "."):
            return isFloat(s) ? .float : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isFloat(s) { return .float }
            if isInt(s) { return .int }
            if isDigit(first) && isTimestamp(s) { return .timestamp }
            return .string
        default:
            return .string
        }
    }

    private static let boolWords: [(String, Bool)] = [
        ("yes", true), ("Yes", true), ("YES", true), ("no", false), ("No", false), ("NO", false),
        ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
        ("on", true), ("On", true), ("ON", true), ("off", false), ("Off", false), ("OFF", false),
    ]

    private static func bool(_ s: Bytes) -> Bool? {
        // yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF, without building strings.
        guard s.count >= 2 && s.count <= 5 else { return nil }
        var packed: UInt64 = 0
        for c in s { packed = packed << 8 | UInt64(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
        let value: Bool
        switch packed {
        case packedYes, packedTrue, packedOn: value = true
        case packedNo, packedFalse, packedOff: value = false
        default: return nil
        }
        // Only all-lower, all-upper or capitalised spellings count.
        let rest = s.dropFirst()
        let restLower = rest.allSatisfy { !($0 >= 0x41 && $0 <= 0x5A) }
        let restUpper = rest.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
        let firstUpper = s[0] >= 0x41 && s[0] <= 0x5A
        return restLower || (firstUpper && restUpper) ? value : nil
    }

    private static func pack(_ word: String) -> UInt64 { word.utf8.reduce(0) { $0 << 8 | UInt64($1) } }
    private static let packedYes = pack("yes"), packedTrue = pack("true"), packedOn = pack("on")
    private static let packedNo = pack("no"), packedFalse = pack("false"), packedOff = pack("off")

    /// null|Null|NULL
    private static func isNull(_ s: Bytes) -> Bool {
        guard s.count == 4 else { return false }
        let rest = (s[1], s[2], s[3])
        if rest == (0x75, 0x6C, 0x6C) { return s[0] == UInt8(ascii: "n") || s[0] == UInt8(ascii: "N") }  // "ull"
        return rest == (0x55, 0x4C, 0x4C) && s[0] == UInt8(ascii: "N")  // "ULL"
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
    @inline(__always) private static func isSign(_ c: UInt8) -> Bool { c == UInt8(ascii: "-") || c == UInt8(ascii: "+") }
    @inline(__always) private static func isDigitOrUnderscore(_ c: UInt8) -> Bool { isDigit(c) || c == UInt8(ascii: "_") }

    /// `:[0-5]?[0-9]` repeated at least once, from `i`; returns the index after the last group, or nil.
    private static func sexagesimalGroups(_ s: Bytes, from start: Int) -> Int? {
        var i = start
        var groups = 0
        while i < s.count, s[i] == UInt8(ascii: ":") {
            i += 1
            guard i < s.count, isDigit(s[i]) else { return nil }
            if i + 1 < s.count, isDigit(s[i + 1]) {
                guard s[i] <= UInt8(ascii: "5") else { return nil }
                i += 2
            } else {
                i += 1
            }
            groups += 1
        }
        return groups > 0 ? i : nil
    }

    /// `[0-9]` then `[0-9_]*` from `i`; returns the index after, or nil.
    private static func digitRun(_ s: Bytes, from start: Int, firstNonZero: Bool = false) -> Int? {
        guard start < s.count, isDigit(s[start]), !firstNonZero || s[start] != UInt8(ascii: "0") else { return nil }
        var i = start + 1
        while i < s.count, isDigitOrUnderscore(s[i]) { i += 1 }
        return i
    }

    /// `[eE][-+][0-9]+$` or the end, from `i`.
    private static func exponentOrEnd(_ s: Bytes, from start: Int) -> Bool {
        if start == s.count { return true }
        guard s[start] | 0x20 == UInt8(ascii: "e"), start + 2 < s.count, isSign(s[start + 1]) else { return false }
        var i = start + 2
        while i < s.count, isDigit(s[i]) { i += 1 }
        return i == s.count && i > start + 2
    }

    static func isFloat(_ s: Bytes) -> Bool {
        var i = 0
        if i < s.count, isSign(s[i]) { i += 1 }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: ".") {
            // [-+]?\.(inf|Inf|INF)   \.(nan|NaN|NAN)   \.[0-9][0-9_]*([eE][-+][0-9]+)?
            let rest = UnsafeBufferPointer(rebasing: s[(i + 1)...])
            if ["inf", "Inf", "INF"].contains(where: { $0.utf8.elementsEqual(rest) }) { return true }
            if i == 0, ["nan", "NaN", "NAN"].contains(where: { $0.utf8.elementsEqual(rest) }) { return true }
            guard i == 0, let end = digitRun(s, from: 1) else { return false }
            return exponentOrEnd(s, from: end)
        }
        guard let end = digitRun(s, from: i), end < s.count else { return false }
        if s[end] == UInt8(ascii: ".") {
            var j = end + 1
            while j < s.count, isDigitOrUnderscore(s[j]) { j += 1 }
            return exponentOrEnd(s, from: j)
        }
        // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
        guard let after = sexagesimalGroups(s, from: end), after < s.count, s[after] == UInt8(ascii: ".") else {
            return false
        }
        var j = after + 1
        while j < s.count, isDigitOrUnderscore(s[j]) { j += 1 }
        return j == s.count
    }

    static func isInt(_ s: Bytes) -> Bool {
        var i = 0
        if i < s.count, isSign(s[i]) { i += 1 }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: "0") {
            guard i + 1 < s.count else { return true }  // 0
            let marker = s[i + 1]
            let allowed: (UInt8) -> Bool
            var j = i + 1
            if marker == UInt8(ascii: "b") {
                allowed = { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }
                j += 1
            } else if marker == UInt8(ascii: "x") {
                allowed = { isDigitOrUnderscore($0) || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "f")) }
                j += 1
            } else {
                allowed = { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == UInt8(ascii: "_") }
            }
            guard j < s.count else { return false }
            while j < s.count, allowed(s[j]) { j += 1 }
            return j == s.count
        }
        guard let end = digitRun(s, from: i, firstNonZero: true) else { return false }
        return end == s.count || sexagesimalGroups(s, from: end) == s.count
    }

    static func isTimestamp(_ s: Bytes) -> Bool {
        YAMLTimestamp.match(s, strictDate: true) != nil
    }

    // MARK: Construction (SafeConstructor)

    /// `construct_yaml_int`: underscores dropped, sign, then `0`, `0b…`, `0x…`, `0…` (octal), `a:b:c` (base 60), decimal.
    static func constructInt(_ s: Bytes) throws(ConfigError) -> YAMLNode.Value {
        // Fast path: a plain decimal that fits.
        if s.count <= 18, let first = s.first {
            let negative = first == UInt8(ascii: "-")
            let start = isSign(first) ? 1 : 0
            if start < s.count, s[start] != UInt8(ascii: "0") || s.count == start + 1 {
                var n = 0
                var ok = true
                for c in s[start...] {
                    guard isDigit(c) else { ok = false; break }
                    n = n * 10 + Int(c &- UInt8(ascii: "0"))
                }
                if ok { return .int(negative ? -n : n) }
            }
        }
        var v = s.filter { $0 != UInt8(ascii: "_") }[...]
        guard let first = v.first else { throw invalid("an integer", s, "it is empty") }
        let negative = first == UInt8(ascii: "-")
        if isSign(first) { v = v.dropFirst() }
        guard let lead = v.first else { throw invalid("an integer", s, "it has no digits") }
        let parsed: (negative: Bool, magnitude: YAMLInteger)?
        if v.count == 1 && lead == UInt8(ascii: "0") {
            return .int(0)
        } else if v.starts(with: "0b".utf8) {
            parsed = pythonInt(v.dropFirst(2), base: 2)
        } else if v.starts(with: "0x".utf8) {
            parsed = pythonInt(v.dropFirst(2), base: 16)
        } else if lead == UInt8(ascii: "0") {
            parsed = pythonInt(v, base: 8)
        } else if v.contains(UInt8(ascii: ":")) {
            var total = YAMLInteger()
            for part in v.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                guard let digit = pythonInt(part, base: 10), !digit.negative else {
                    throw invalid("a base-60 integer", s, "each part between ':' must be digits")
                }
                total.multiplyAdd(by: 60, adding: 0)
                total.add(digit.magnitude)
            }
            parsed = (false, total)
        } else {
            parsed = pythonInt(v, base: 10)
        }
        guard let parsed else { throw invalid("an integer", s, "Python's int() rejects it") }
        return parsed.magnitude.value(negative: negative != parsed.negative)
    }

    /// Python's `int(text, base)` on ASCII: surrounding whitespace, a sign, the base's `0b`/`0o`/`0x` prefix, digits.
    private static func pythonInt(_ text: ArraySlice<UInt8>, base: UInt32) -> (negative: Bool, magnitude: YAMLInteger)? {
        var t = trimmed(text)
        var negative = false
        if let c = t.first, isSign(c) {
            negative = c == UInt8(ascii: "-")
            t = t.dropFirst()
        }
        let prefix: UInt8? = base == 2 ? UInt8(ascii: "b") : base == 8 ? UInt8(ascii: "o") : base == 16 ? UInt8(ascii: "x") : nil
        if let prefix, t.count >= 2, t.first == UInt8(ascii: "0"), t[t.startIndex + 1] | 0x20 == prefix {
            t = t.dropFirst(2)
        }
        guard !t.isEmpty else { return nil }
        var magnitude = YAMLInteger()
        for c in t {
            let digit: UInt32
            if isDigit(c) { digit = UInt32(c &- UInt8(ascii: "0")) }
            else if c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f") { digit = UInt32(c | 0x20) - 87 }
            else { return nil }
            guard digit < base else { return nil }
            magnitude.multiplyAdd(by: base, adding: digit)
        }
        return (negative, magnitude)
    }

    /// `construct_yaml_float`: underscores dropped, lower-cased, sign, `.inf`, `.nan`, `a:b.c` (base 60), else `float()`.
    static func constructFloat(_ s: Bytes) throws(ConfigError) -> Double {
        var v = s.compactMap { $0 == UInt8(ascii: "_") ? nil : ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) }[...]
        guard let first = v.first else { throw invalid("a float", s, "it is empty") }
        let sign: Double = first == UInt8(ascii: "-") ? -1 : 1
        if isSign(first) { v = v.dropFirst() }
        if v.elementsEqual(".inf".utf8) { return sign * .infinity }
        if v.elementsEqual(".nan".utf8) { return .nan }
        if v.contains(UInt8(ascii: ":")) {
            var value = 0.0
            var base = 1.0
            for part in v.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).reversed() {
                guard let digit = pythonFloat(part) else {
                    throw invalid("a base-60 float", s, "each part between ':' must be a number")
                }
                value += digit * base
                base *= 60
            }
            return sign * value
        }
        guard let value = pythonFloat(v) else { throw invalid("a float", s, "Python's float() rejects it") }
        return sign * value
    }

    /// Python's `float(text)` on lower-cased ASCII: whitespace, sign, `inf`/`infinity`/`nan`, or a decimal number.
    private static func pythonFloat(_ text: ArraySlice<UInt8>) -> Double? {
        var t = trimmed(text)
        var sign = 1.0
        if let c = t.first, isSign(c) {
            sign = c == UInt8(ascii: "-") ? -1 : 1
            t = t.dropFirst()
        }
        if t.elementsEqual("inf".utf8) || t.elementsEqual("infinity".utf8) { return sign * .infinity }
        if t.elementsEqual("nan".utf8) { return .nan }
        var i = t.startIndex
        var digits = 0
        while i < t.endIndex, isDigit(t[i]) { i += 1; digits += 1 }
        if i < t.endIndex, t[i] == UInt8(ascii: ".") {
            i += 1
            while i < t.endIndex, isDigit(t[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < t.endIndex, t[i] == UInt8(ascii: "e") {
            i += 1
            if i < t.endIndex, isSign(t[i]) { i += 1 }
            let start = i
            while i < t.endIndex, isDigit(t[i]) { i += 1 }
            guard i > start else { return nil }
        }
        guard i == t.endIndex, let value = Double(String(decoding: t, as: UTF8.self)) else { return nil }
        return sign * value
    }

    /// `construct_yaml_bool`: the lower-cased text must be yes/no/true/false/on/off.
    static func constructBool(_ s: Bytes) throws(ConfigError) -> Bool {
        let lower = s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for (word, value) in boolWords where word.utf8.elementsEqual(lower) { return value }
        throw invalid("a boolean", s, "use one of yes, no, true, false, on, off")
    }

    private static func trimmed(_ t: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        // str.strip(): ASCII whitespace and the separators \x1c-\x1f.
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) }
        var t = t
        while let c = t.first, isSpace(c) { t = t.dropFirst() }
        while let c = t.last, isSpace(c) { t = t.dropLast() }
        return t
    }

    static func invalid(_ what: String, _ s: Bytes, _ why: String) -> ConfigError {
        let text = String(decoding: s.prefix(80), as: UTF8.self)
        return ConfigError("'\(text)' is not \(what) (\(why))", at: nil,
                           hint: "fix the value, or quote it and drop the tag to keep it as text")
    }
}
