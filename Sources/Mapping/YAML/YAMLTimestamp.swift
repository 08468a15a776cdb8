/// A YAML 1.1 timestamp as PyYAML reads it: `2024-02-01` becomes a date, `2024-02-01 10:20:30.5 +05:30` a datetime.
///
/// Matches the resolver's and the constructor's regular expressions, then checks the fields as Python's
/// `datetime` does (day in month, hour 0…23, offset under 24 hours) and prints what `isoformat()` prints.
///
/// ```swift
/// Array("2001-12-14t21:59:43.10-05:00".utf8).withUnsafeBufferPointer { try YAMLTimestamp.construct($0) }
/// // .timestamp("2001-12-14T21:59:43.100000-05:00")
/// ```
struct YAMLTimestamp {
    var year = 0, month = 0, day = 0
    var time: (hour: Int, minute: Int, second: Int, microsecond: Int)?
    /// Offset from UTC in minutes; nil for a naive datetime.
    var offsetMinutes: Int?

    /// Parses the timestamp forms; `strictDate` is the resolver's rule that a date alone has two-digit month and day.
    static func match(_ s: UnsafeBufferPointer<UInt8>, strictDate: Bool) -> YAMLTimestamp? {
        var i = 0
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maximum, i < s.count, YAMLScalarResolver.isDigit(s[i]) {
                value = value * 10 + Int(s[i] &- UInt8(ascii: "0"))
                i += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        func take(_ c: Character) -> Bool {
            guard i < s.count, s[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        func atSpaceOrTab() -> Bool { i < s.count && (s[i] == 0x20 || s[i] == 0x09) }

        var t = YAMLTimestamp()
        guard let year = digits(4, 4), take("-"), let month = digits(1, 2), take("-"), let day = digits(1, 2) else {
            return nil
        }
        (t.year, t.month, t.day) = (year, month, day)
        let dateEnd = i
        if i == s.count {
            return !strictDate || dateEnd == 10 ? t : nil
        }
        if take("T") || take("t") {
        } else if atSpaceOrTab() {
            while atSpaceOrTab() { i += 1 }
        } else {
            return nil
        }
        guard let hour = digits(1, 2), take(":"), let minute = digits(2, 2), take(":"), let second = digits(2, 2) else {
            return nil
        }
        var microsecond = 0
        if take(".") {
            var scale = 100_000
            while i < s.count, YAMLScalarResolver.isDigit(s[i]) {
                microsecond += Int(s[i] &- UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
        }
        t.time = (hour, minute, second, microsecond)
        while atSpaceOrTab() { i += 1 }
        if i == s.count {
            // `[ \t]*` may only be followed by a zone; trailing blanks alone do not match.
            return s[i - 1] == 0x20 || s[i - 1] == 0x09 ? nil : t
        }
        if take("Z") {
            t.offsetMinutes = 0
        } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let negative = s[i] == UInt8(ascii: "-")
            i += 1
            guard let zoneHour = digits(1, 2) else { return nil }
            var zoneMinute = 0
            if take(":") {
                guard let m = digits(2, 2) else { return nil }
                zoneMinute = m
            }
            t.offsetMinutes = (negative ? -1 : 1) * (zoneHour * 60 + zoneMinute)
        } else {
            return nil
        }
        return i == s.count ? t : nil
    }

    /// `construct_yaml_timestamp` for the text of a scalar (resolved implicitly or tagged `!!timestamp`).
    static func construct(_ s: UnsafeBufferPointer<UInt8>) throws(ConfigError) -> YAMLNode.Value {
        // Python's `$` also matches before one final newline.
        let body = s.last == 0x0A ? UnsafeBufferPointer(rebasing: s.dropLast()) : s
        guard let t = match(body, strictDate: false) else {
            throw YAMLScalarResolver.invalid("a timestamp", s, "expected YYYY-MM-DD or YYYY-MM-DD hh:mm:ss[.frac][zone]")
        }
        return try t.value(text: s)
    }

    private func value(text s: UnsafeBufferPointer<UInt8>) throws(ConfigError) -> YAMLNode.Value {
        func fail(_ why: String) -> ConfigError { YAMLScalarResolver.invalid("a valid date", s, why) }
        guard year >= 1 else { throw fail("year 0 is out of range") }
        guard (1...12).contains(month) else { throw fail("month must be in 1..12") }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...monthDays).contains(day) else { throw fail("day is out of range for month") }
        let date = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
        guard let time else { return .date(date) }
        guard time.hour < 24 else { throw fail("hour must be in 0..23") }
        guard time.minute < 60 else { throw fail("minute must be in 0..59") }
        guard time.second < 60 else { throw fail("second must be in 0..59") }
        var iso = date + "T" + Self.pad(time.hour, 2) + ":" + Self.pad(time.minute, 2) + ":" + Self.pad(time.second, 2)
        if time.microsecond != 0 { iso += "." + Self.pad(time.microsecond, 6) }
        if let offset = offsetMinutes {
            guard abs(offset) < 24 * 60 else { throw fail("the UTC offset must be under 24 hours") }
            iso += (offset < 0 ? "-" : "+") + Self.pad(abs(offset) / 60, 2) + ":" + Self.pad(abs(offset) % 60, 2)
        }
        return .timestamp(iso)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let text = String(n)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
