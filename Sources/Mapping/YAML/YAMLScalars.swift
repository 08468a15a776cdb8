// PyYAML's YAML 1.1 typing of scalars, on bytes: the implicit resolver's regular expressions (resolver.py) and
// SafeConstructor's scalar constructors (constructor.py), with the same quirks. Each rule names the PyYAML code it
// mirrors; `Tests/MappingTests/YAMLTypingTests.swift` pins them against what PyYAML 6 returns.

typealias Bytes = UnsafeBufferPointer<UInt8>

private let u0 = UInt8(ascii: "0"), u9 = UInt8(ascii: "9"), uUnderscore = UInt8(ascii: "_")
private let uColon = UInt8(ascii: ":"), uDot = UInt8(ascii: "."), uPlus = UInt8(ascii: "+"), uMinus = UInt8(ascii: "-")
private let uNewline = UInt8(ascii: "\n"), uSpace = UInt8(ascii: " "), uTab = UInt8(ascii: "\t")

@inline(__always) private func isDigit(_ c: UInt8) -> Bool { c >= u0 && c <= u9 }

extension Bytes {
    @inline(__always) func slice(_ from: Int, _ to: Int) -> Bytes { Bytes(rebasing: self[from..<to]) }

    func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for i in 0..<count where self[i] != p[i] { return false }
        return true
    }

    /// Python's regex `$` also matches just before a final newline: the text the resolver regexes see.
    var droppingFinalNewline: Bytes { count > 0 && self[count - 1] == uNewline ? slice(0, count - 1) : self }
}

// MARK: - Implicit resolution

enum YAMLResolver {
    /// PyYAML `Resolver.resolve` for a scalar it resolves implicitly (a plain scalar, or one tagged `!`): str,
    /// null, bool, int, float, timestamp, merge (`<<`) or value (`=`).
    static func resolve(_ value: Bytes) -> NodeTag {
        if value.isEmpty { return .null }
        // Resolvers are picked by the first character, then matched with `regex.match`, whose `$` accepts a final
        // "\n" (only a quoted or block scalar tagged `!` can end with one).
        let first = value[0]
        if first == uNewline { return .str }
        let v = value.droppingFinalNewline
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            if isBool(v) { return .bool }
            if v.equals("null") || v.equals("Null") || v.equals("NULL") { return .null }
            return .str
        case UInt8(ascii: "~"):
            return v.count == 1 ? .null : .str
        case UInt8(ascii: "<"):
            return v.equals("<<") ? .merge : .str
        case UInt8(ascii: "="):
            return v.count == 1 ? .value : .str
        case uPlus, uMinus, uDot, u0...u9:
            if isFloat(v) { return .float }
            if isInt(v) { return .int }
            if isDigit(first), let ts = Timestamp.parse(v), ts.isImplicit { return .timestamp }
            return .str
        default:
            return .str
        }
    }

    /// `yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`
    static func isBool(_ v: Bytes) -> Bool {
        switch v.count {
        case 2: return oneCasing(v, "no") || oneCasing(v, "on")
        case 3: return oneCasing(v, "yes") || oneCasing(v, "off")
        case 4: return oneCasing(v, "true")
        case 5: return oneCasing(v, "false")
        default: return false
        }
    }

    /// `word`, `Word` or `WORD` (a lower-case ASCII word of v's length).
    private static func oneCasing(_ v: Bytes, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        var lower = true, capital = true, upper = true
        for i in 0..<v.count {
            let c = v[i], l = w[i], u = w[i] - 32
            if c != l { lower = false; if i > 0 { capital = false } }
            if c != u { upper = false; if i == 0 { capital = false } }
        }
        return lower || capital || upper
    }

    /// The float regex:
    /// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?` | `\.[0-9][0-9_]*([eE][-+][0-9]+)?` |
    /// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*` | `[-+]?\.(inf|Inf|INF)` | `\.(nan|NaN|NAN)`
    static func isFloat(_ v: Bytes) -> Bool {
        let n = v.count
        var i = 0
        let signed = v[0] == uPlus || v[0] == uMinus
        if signed { i = 1 }
        guard i < n else { return false }
        if v[i] == uDot {
            let rest = v.slice(i + 1, n)
            if rest.equals("inf") || rest.equals("Inf") || rest.equals("INF") { return true }
            if signed { return false }
            if rest.equals("nan") || rest.equals("NaN") || rest.equals("NAN") { return true }
            guard i + 1 < n, isDigit(v[i + 1]) else { return false }
            i += 2
            while i < n, isDigit(v[i]) || v[i] == uUnderscore { i += 1 }
            return exponentToEnd(v, i)
        }
        guard isDigit(v[i]) else { return false }
        i += 1
        while i < n, isDigit(v[i]) || v[i] == uUnderscore { i += 1 }
        guard i < n else { return false }
        if v[i] == uColon {
            guard let j = sexagesimalSegments(v, i), j < n, v[j] == uDot else { return false }
            i = j + 1
            while i < n, isDigit(v[i]) || v[i] == uUnderscore { i += 1 }
            return i == n
        }
        guard v[i] == uDot else { return false }
        i += 1
        while i < n, isDigit(v[i]) || v[i] == uUnderscore { i += 1 }
        return exponentToEnd(v, i)
    }

    /// `([eE][-+][0-9]+)?$` from `i`.
    private static func exponentToEnd(_ v: Bytes, _ start: Int) -> Bool {
        let n = v.count
        if start == n { return true }
        var i = start
        guard v[i] == UInt8(ascii: "e") || v[i] == UInt8(ascii: "E") else { return false }
        i += 1
        guard i < n, v[i] == uPlus || v[i] == uMinus else { return false }
        i += 1
        guard i < n else { return false }
        while i < n { if !isDigit(v[i]) { return false }; i += 1 }
        return true
    }

    /// `(:[0-5]?[0-9])+` from `i` (at a ':'); returns the index after the last segment.
    private static func sexagesimalSegments(_ v: Bytes, _ start: Int) -> Int? {
        let n = v.count
        var i = start
        var matched = false
        while i < n, v[i] == uColon {
            var j = i + 1
            while j < n, isDigit(v[j]) { j += 1 }
            let digits = j - i - 1
            guard digits == 1 || (digits == 2 && v[i + 1] <= UInt8(ascii: "5")) else { return nil }
            matched = true
            i = j
        }
        return matched ? i : nil
    }

    /// The int regex: `[-+]?0b[0-1_]+` | `[-+]?0[0-7_]+` | `[-+]?(0|[1-9][0-9_]*)` | `[-+]?0x[0-9a-fA-F_]+` |
    /// `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    static func isInt(_ v: Bytes) -> Bool {
        let n = v.count
        var i = (v[0] == uPlus || v[0] == uMinus) ? 1 : 0
        guard i < n else { return false }
        if v[i] == u0 {
            if i + 1 == n { return true }
            let kind = v[i + 1]
            if kind == UInt8(ascii: "b") || kind == UInt8(ascii: "x") {
                guard i + 2 < n else { return false }
                for c in v.slice(i + 2, n) {
                    let ok = kind == UInt8(ascii: "b")
                        ? (c == u0 || c == UInt8(ascii: "1") || c == uUnderscore)
                        : (isDigit(c) || c == uUnderscore || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f")))
                    if !ok { return false }
                }
                return true
            }
            for c in v.slice(i + 1, n) where !((c >= u0 && c <= UInt8(ascii: "7")) || c == uUnderscore) { return false }
            return true
        }
        guard isDigit(v[i]) else { return false }
        i += 1
        while i < n, isDigit(v[i]) || v[i] == uUnderscore { i += 1 }
        if i == n { return true }
        return v[i] == uColon && sexagesimalSegments(v, i) == n
    }
}

// MARK: - Constructors

/// A scalar that SafeConstructor cannot turn into its tag's type (PyYAML raises ValueError, KeyError or
/// ConstructorError): what is wrong, for the caller to place.
struct ScalarProblem: Error {
    let message: String
}

enum YAMLScalarConstructor {
    /// `construct_yaml_bool`: `bool_values[value.lower()]`.
    static func bool(_ text: Bytes) throws(ScalarProblem) -> Bool {
        func lowered(is word: StaticString) -> Bool {
            guard text.count == word.utf8CodeUnitCount else { return false }
            for i in 0..<text.count {
                let c = text[i]
                if (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 32 : c) != word.utf8Start[i] { return false }
            }
            return true
        }
        if lowered(is: "yes") || lowered(is: "true") || lowered(is: "on") { return true }
        if lowered(is: "no") || lowered(is: "false") || lowered(is: "off") { return false }
        throw ScalarProblem(message: "'\(String(decoding: text, as: UTF8.self))' is not a boolean (!!bool takes yes/no, true/false, on/off)")
    }

    /// `construct_yaml_int`, including its use of Python's `int(text, base)`.
    static func int(_ text: Bytes) throws(ScalarProblem) -> YAMLNode.Value {
        if let small = plainDecimal(text) { return .int(small) }
        let shown = String(decoding: text, as: UTF8.self)
        let problem = ScalarProblem(message: "'\(shown)' is not an integer")
        var v = text.filter { $0 != uUnderscore }
        guard !v.isEmpty else { throw problem }
        var negative = false
        if v[0] == uMinus { negative = true }
        if v[0] == uMinus || v[0] == uPlus { v.removeFirst() }
        guard !v.isEmpty else { throw problem }
        var result: BigInt
        if v == [u0] {
            result = BigInt()
        } else if v.starts(with: [u0, UInt8(ascii: "b")]) {
            guard let r = pythonInt(v[2...], base: 2) else { throw problem }
            result = r
        } else if v.starts(with: [u0, UInt8(ascii: "x")]) {
            guard let r = pythonInt(v[2...], base: 16) else { throw problem }
            result = r
        } else if v[0] == u0 {
            guard let r = pythonInt(v[...], base: 8) else { throw problem }
            result = r
        } else if v.contains(uColon) {
            // digits reversed, value += digit*base, base *= 60: Horner from the most significant part.
            result = BigInt()
            for part in v.split(separator: uColon, omittingEmptySubsequences: false) {
                guard let digit = pythonInt(part, base: 10) else { throw problem }
                result.multiply(by: 60)
                result.add(digit)
            }
        } else {
            guard let r = pythonInt(v[...], base: 10) else { throw problem }
            result = r
        }
        if negative { result.negate() }
        return result.value
    }

    /// The common case without allocating: `[-+]?(0|[1-9][0-9]*)` that fits in an Int.
    private static func plainDecimal(_ text: Bytes) -> Int? {
        var i = 0
        let negative = text.first == uMinus
        if negative || text.first == uPlus { i = 1 }
        guard i < text.count, text[i] != u0 || i + 1 == text.count else { return nil }
        var value = 0
        while i < text.count {
            let c = text[i]
            guard isDigit(c) else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int(c - u0)) : times10.addingReportingOverflow(Int(c - u0))
            if o1 || o2 { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// Python's `int(text, base)` for bases 2, 8, 10, 16: surrounding whitespace, a sign, the base's prefix
    /// (`0b`, `0o`, `0x`, any case) and at least one digit. (Python also reads non-ASCII decimal digits; this does not.)
    static func pythonInt(_ text: ArraySlice<UInt8>, base: UInt32) -> BigInt? {
        var t = text
        while let c = t.first, isPythonSpace(c) { t.removeFirst() }
        while let c = t.last, isPythonSpace(c) { t.removeLast() }
        var negative = false
        if let c = t.first, c == uPlus || c == uMinus { negative = c == uMinus; t.removeFirst() }
        if t.count >= 2, t[t.startIndex] == u0 {
            let p = t[t.startIndex + 1] | 0x20
            if (base == 2 && p == UInt8(ascii: "b")) || (base == 8 && p == UInt8(ascii: "o"))
                || (base == 16 && p == UInt8(ascii: "x"))
            {
                t.removeFirst(2)
            }
        }
        guard !t.isEmpty else { return nil }
        var result = BigInt()
        for c in t {
            let d: UInt32
            switch c {
            case u0...u9: d = UInt32(c - u0)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = UInt32(c - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = UInt32(c - UInt8(ascii: "A")) + 10
            default: return nil
            }
            guard d < base else { return nil }
            result.multiply(by: base)
            result.add(small: d)
        }
        if negative { result.negate() }
        return result
    }

    private static func isPythonSpace(_ c: UInt8) -> Bool {
        c == uSpace || c == uTab || c == uNewline || c == 0x0B || c == 0x0C || c == 0x0D
    }

    /// `construct_yaml_float`: underscores dropped, lower-cased, `.inf`/`.nan`, sexagesimal, else Python's `float()`.
    static func float(_ text: Bytes) throws(ScalarProblem) -> Double {
        // The common case: only digits, a point and a sign, which Python's float() and Swift read alike.
        if text.allSatisfy({ isDigit($0) || $0 == uDot || $0 == uMinus || $0 == uPlus }),
            let d = Double(String(decoding: text, as: UTF8.self))
        {
            return d
        }
        let shown = String(decoding: text, as: UTF8.self)
        let problem = ScalarProblem(message: "'\(shown)' is not a float")
        var v = text.compactMap { c -> UInt8? in
            c == uUnderscore ? nil : (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 32 : c)
        }
        guard !v.isEmpty else { throw problem }
        var sign = 1.0
        if v[0] == uMinus { sign = -1 }
        if v[0] == uMinus || v[0] == uPlus { v.removeFirst() }
        if v.elementsEqual(".inf".utf8) { return sign * .infinity }
        if v.elementsEqual(".nan".utf8) { return .nan }
        if v.contains(uColon) {
            var value = 0.0
            var base = 1.0
            for part in v.split(separator: uColon, omittingEmptySubsequences: false).reversed() {
                guard let digit = pythonFloat(part) else { throw problem }
                value += digit * base
                base *= 60
            }
            return sign * value
        }
        guard let d = pythonFloat(v[...]) else { throw problem }
        return sign * d
    }

    /// Python's `float(text)` on lower-case text without underscores: whitespace, a sign, `inf`/`infinity`/`nan`,
    /// or decimal digits with an optional point and exponent (no hex, unlike Swift's `Double(_:)`).
    static func pythonFloat(_ text: ArraySlice<UInt8>) -> Double? {
        var t = text
        while let c = t.first, isPythonSpace(c) { t.removeFirst() }
        while let c = t.last, isPythonSpace(c) { t.removeLast() }
        var body = t
        var negative = false
        if let c = body.first, c == uPlus || c == uMinus { negative = c == uMinus; body.removeFirst() }
        let word = String(decoding: body, as: UTF8.self)
        if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
        if word == "nan" { return .nan }
        var i = body.startIndex
        var digits = 0
        while i < body.endIndex, isDigit(body[i]) { i += 1; digits += 1 }
        if i < body.endIndex, body[i] == uDot {
            i += 1
            while i < body.endIndex, isDigit(body[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < body.endIndex, body[i] == UInt8(ascii: "e") {
            i += 1
            if i < body.endIndex, body[i] == uPlus || body[i] == uMinus { i += 1 }
            let start = i
            while i < body.endIndex, isDigit(body[i]) { i += 1 }
            guard i > start else { return nil }
        }
        guard i == body.endIndex else { return nil }
        return Double(String(decoding: t, as: UTF8.self))
    }

    /// `construct_yaml_binary`: ASCII text, then `base64.decodebytes` (binascii's lenient `a2b_base64`).
    static func binary(_ text: Bytes) throws(ScalarProblem) -> [UInt8] {
        guard text.allSatisfy({ $0 < 0x80 }) else { throw ScalarProblem(message: "!!binary data must be ASCII base64 text") }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var quad = 0, pads = 0
        var left: UInt32 = 0
        for c in text {
            if c == UInt8(ascii: "=") {
                if quad >= 2 {
                    pads += 1
                    if quad + pads >= 4 { return out }
                }
                continue
            }
            guard let d = base64Digit(c) else { continue }  // other characters are skipped
            pads = 0
            switch quad {
            case 0: left = d; quad = 1
            case 1: out.append(UInt8(truncatingIfNeeded: left << 2 | d >> 4)); left = d & 0x0F; quad = 2
            case 2: out.append(UInt8(truncatingIfNeeded: left << 4 | d >> 2)); left = d & 0x03; quad = 3
            default: out.append(UInt8(truncatingIfNeeded: left << 6 | d)); left = 0; quad = 0
            }
        }
        guard quad == 0 else {
            throw ScalarProblem(message: quad == 1 ? "!!binary data has an impossible length" : "!!binary data has incorrect padding")
        }
        return out
    }

    private static func base64Digit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a")) + 26
        case u0...u9: return UInt32(c - u0) + 52
        case uPlus: return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }

    /// `construct_yaml_timestamp`: a `date`, or a `datetime` (aware when the text has an offset or `Z`).
    static func timestamp(_ text: Bytes) throws(ScalarProblem) -> YAMLNode.Value {
        let shown = String(decoding: text, as: UTF8.self)
        guard let ts = Timestamp.parse(text.droppingFinalNewline) else {
            throw ScalarProblem(message: "'\(shown)' is not a timestamp")
        }
        if let reason = ts.invalidReason {
            throw ScalarProblem(message: "'\(shown)' is not a valid date or time: \(reason)")
        }
        return ts.hasTime ? .timestamp(ts.isoFormat) : .date(ts.isoFormat)
    }
}

// MARK: - Timestamps

/// What `SafeConstructor.timestamp_regexp` captures.
struct Timestamp {
    var year = 0, month = 0, day = 0
    var monthDigits = 0, dayDigits = 0
    var hasTime = false
    var hour = 0, minute = 0, second = 0, microsecond = 0
    /// Minutes east of UTC; nil for a naive time.
    var offsetMinutes: Int?

    /// The resolver's regex: a date alone needs two-digit month and day; with a time they may have one digit.
    var isImplicit: Bool { hasTime || (monthDigits == 2 && dayDigits == 2) }

    /// `^YYYY-M?M-D?D((T|t|[ \t]+)H?H:MM:SS(\.F*)?([ \t]*(Z|[-+]H?H(:MM)?))?)?$`
    static func parse(_ v: Bytes) -> Timestamp? {
        var ts = Timestamp()
        let n = v.count
        var i = 0
        func number(_ minDigits: Int, _ maxDigits: Int) -> (value: Int, digits: Int)? {
            var value = 0, digits = 0
            while i < n, digits < maxDigits, isDigit(v[i]) { value = value * 10 + Int(v[i] - u0); digits += 1; i += 1 }
            return digits >= minDigits ? (value, digits) : nil
        }
        func literal(_ c: UInt8) -> Bool { if i < n, v[i] == c { i += 1; return true }; return false }

        guard let year = number(4, 4), literal(uMinus), let month = number(1, 2), literal(uMinus),
            let day = number(1, 2)
        else { return nil }
        ts.year = year.value; ts.month = month.value; ts.monthDigits = month.digits
        ts.day = day.value; ts.dayDigits = day.digits
        if i == n { return ts }

        if v[i] == UInt8(ascii: "T") || v[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            guard v[i] == uSpace || v[i] == uTab else { return nil }
            while i < n, v[i] == uSpace || v[i] == uTab { i += 1 }
        }
        guard let hour = number(1, 2), literal(uColon), let minute = number(2, 2), literal(uColon),
            let second = number(2, 2)
        else { return nil }
        ts.hasTime = true
        ts.hour = hour.value; ts.minute = minute.value; ts.second = second.value
        if literal(uDot) {
            var micro = 0, digits = 0
            while i < n, isDigit(v[i]) {
                if digits < 6 { micro = micro * 10 + Int(v[i] - u0); digits += 1 }
                i += 1
            }
            while digits < 6 { micro *= 10; digits += 1 }
            ts.microsecond = micro
        }
        if i == n { return ts }
        while i < n, v[i] == uSpace || v[i] == uTab { i += 1 }
        guard i < n else { return nil }
        if v[i] == UInt8(ascii: "Z") {
            i += 1
            ts.offsetMinutes = 0
        } else {
            guard v[i] == uPlus || v[i] == uMinus else { return nil }
            let negative = v[i] == uMinus
            i += 1
            guard let h = number(1, 2) else { return nil }
            var minutes = h.value * 60
            if literal(uColon) {
                guard let m = number(2, 2) else { return nil }
                minutes += m.value
            }
            ts.offsetMinutes = negative ? -minutes : minutes
        }
        return i == n ? ts : nil
    }

    /// Why Python's `date`/`datetime`/`timezone` refuse these numbers, or nil.
    var invalidReason: String? {
        guard (1...9999).contains(year) else { return "year \(year) is out of range" }
        guard (1...12).contains(month) else { return "month must be in 1..12" }
        guard (1...Timestamp.daysIn(month: month, year: year)).contains(day) else {
            return "day is out of range for month"
        }
        guard hasTime else { return nil }
        guard hour < 24 else { return "hour must be in 0..23" }
        guard minute < 60 else { return "minute must be in 0..59" }
        guard second < 60 else { return "second must be in 0..59" }
        if let offset = offsetMinutes, abs(offset) >= 24 * 60 { return "the UTC offset must be less than 24 hours" }
        return nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Python's `isoformat()` of the date or datetime.
    var isoFormat: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var s = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        guard hasTime else { return s }
        s += "T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if microsecond != 0 { s += ".\(pad(microsecond, 6))" }
        if let offset = offsetMinutes {
            s += "\(offset < 0 ? "-" : "+")\(pad(abs(offset) / 60, 2)):\(pad(abs(offset) % 60, 2))"
        }
        return s
    }

    /// Reads back `isoFormat` (for key equality of datetimes).
    static func parse(isoFormat text: String) -> Timestamp? {
        Array(text.utf8).withUnsafeBufferPointer { Timestamp.parse($0) }
    }

    /// Microseconds since 0001-01-01 in local time, and for an aware time in UTC.
    var microsecondsSinceEpoch: Int64 {
        var days = 0
        let y = year - 1
        days = y * 365 + y / 4 - y / 100 + y / 400
        for m in 1..<month { days += Timestamp.daysIn(month: m, year: year) }
        days += day - 1
        var seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if let offset = offsetMinutes { seconds -= Int64(offset) * 60 }
        return seconds * 1_000_000 + Int64(microsecond)
    }
}

// MARK: - Integers of any size

/// Just enough of an arbitrary-precision integer for Python's `int`: parse, `* small`, `+`, negate, print.
struct BigInt {
    /// Magnitude, little-endian base 2^32.
    private(set) var limbs: [UInt32] = []
    private(set) var negative = false

    mutating func negate() { if !limbs.isEmpty { negative.toggle() } }

    mutating func multiply(by m: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let p = UInt64(limbs[i]) * UInt64(m) + carry
            limbs[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    mutating func add(small: UInt32) {
        var b = BigInt()
        if small > 0 { b.limbs = [small] }
        add(b)
    }

    mutating func add(_ other: BigInt) {
        if negative == other.negative {
            limbs = BigInt.addMagnitudes(limbs, other.limbs)
        } else if BigInt.compareMagnitudes(limbs, other.limbs) >= 0 {
            limbs = BigInt.subtractMagnitudes(limbs, other.limbs)
        } else {
            limbs = BigInt.subtractMagnitudes(other.limbs, limbs)
            negative = other.negative
        }
        trim()
    }

    private mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        if limbs.isEmpty { negative = false }
    }

    private static func addMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let s = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: s))
            carry = s >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return out
    }

    /// a - b for |a| >= |b|.
    private static func subtractMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = a
        var borrow: Int64 = 0
        for i in 0..<a.count {
            var d = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            borrow = 0
            if d < 0 { d += 1 << 32; borrow = 1 }
            out[i] = UInt32(d)
        }
        return out
    }

    private static func compareMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    /// `.int` when it fits, else `.bigInt` with its decimal text.
    var value: YAMLNode.Value {
        if limbs.count <= 2 {
            let magnitude = UInt64(limbs.first ?? 0) | (limbs.count == 2 ? UInt64(limbs[1]) << 32 : 0)
            if !negative, magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
            if negative, magnitude <= UInt64(Int.max) + 1 { return .int(Int(truncatingIfNeeded: 0 &- magnitude)) }
        }
        return .bigInt(decimal)
    }

    var decimal: String {
        if limbs.isEmpty { return "0" }
        var chunks: [UInt32] = []  // base 10^9, least significant first
        var work = limbs
        while !work.isEmpty {
            var remainder: UInt64 = 0
            for i in stride(from: work.count - 1, through: 0, by: -1) {
                let cur = remainder << 32 | UInt64(work[i])
                work[i] = UInt32(cur / 1_000_000_000)
                remainder = cur % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while let last = work.last, last == 0 { work.removeLast() }
        }
        var s = negative ? "-" : ""
        s += String(chunks.last!)
        for chunk in chunks.dropLast().reversed() {
            let digits = String(chunk)
            s += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return s
    }

    /// The exact integer value of an integral double.
    init(exactly d: Double) {
        precondition(d.isFinite && d == d.rounded())
        var magnitude = BigInt()
        let m = d.magnitude
        if m >= 1 {
            let significand = m.significandBitPattern | (1 << 52)
            let shift = Int(m.exponent) - 52
            var value = significand
            if shift < 0 { value >>= UInt64(-shift) }
            magnitude.limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
            magnitude.trim()
            if shift > 0 { for _ in 0..<shift { magnitude.multiply(by: 2) } }
        }
        self = magnitude
        if d < 0 { negate() }
    }

    init() {}
}
