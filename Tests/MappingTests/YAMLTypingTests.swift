import Mapping
import Testing

/// YAML 1.1 typing of plain scalars as PyYAML's safe_load does it (each expectation checked with PyYAML 6).
@Suite struct YAMLTypingTests {
    static func value(_ scalar: String) throws -> YAMLNode.Value? {
        try YAMLLoader.load(Array("v: \(scalar)\n".utf8), file: "t.yaml")["v"]?.value
    }

    static let table: [(String, YAMLNode.Value)] = [
        // Booleans: yes/no/on/off/true/false in three spellings each.
        ("yes", .bool(true)), ("Yes", .bool(true)), ("YES", .bool(true)), ("no", .bool(false)), ("No", .bool(false)),
        ("on", .bool(true)), ("OFF", .bool(false)), ("True", .bool(true)), ("FALSE", .bool(false)),
        ("yEs", .string("yEs")), ("y", .string("y")), ("n", .string("n")), ("tRUE", .string("tRUE")),
        // Null.
        ("", .null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("nULL", .string("nULL")),
        // Integers: decimal with _, binary, octal (leading 0), hex, base 60; beyond Int64.
        ("0", .int(0)), ("-0", .int(0)), ("+12", .int(12)), ("1_000", .int(1000)), ("1_", .int(1)),
        ("0b1010", .int(10)), ("-0b11", .int(-3)), ("017", .int(15)), ("0_17", .int(15)), ("08", .string("08")),
        ("0o17", .string("0o17")), ("0x1F", .int(31)), ("0x_1f", .int(31)), ("0X1F", .string("0X1F")),
        ("1:30", .int(90)), ("190:20:30", .int(685_230)), ("-1:30", .int(-90)), ("1:60", .string("1:60")),
        ("01:30", .string("01:30")),
        ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
        ("9223372036854775808", .bigInt("9223372036854775808")),
        ("0x1_0000_0000_0000_0000", .bigInt("18446744073709551616")),
        // Floats: a dot is required; an exponent needs a sign; .inf/.nan; base 60.
        ("1.5", .float(1.5)), ("1.", .float(1)), (".5", .float(0.5)), ("-1.5e+3", .float(-1500)),
        ("1.0e3", .string("1.0e3")), ("1e3", .string("1e3")), ("1e+3", .string("1e+3")), ("1_000.5_", .float(1000.5)),
        ("._5", .string("._5")), ("1:30.5", .float(90.5)), (".inf", .float(.infinity)), ("-.Inf", .float(-.infinity)),
        ("+.INF", .float(.infinity)), (".inF", .string(".inF")), ("-.nan", .string("-.nan")),
        // Dates and timestamps, printed as Python's isoformat().
        ("2024-02-01", .date("2024-02-01")), ("2024-2-1", .string("2024-2-1")),
        ("2001-12-14t21:59:43.10-05:00", .timestamp("2001-12-14T21:59:43.100000-05:00")),
        ("2001-12-14 21:59:43.10 -5", .timestamp("2001-12-14T21:59:43.100000-05:00")),
        ("2001-12-15T02:59:43.1Z", .timestamp("2001-12-15T02:59:43.100000+00:00")),
        ("2001-12-14 21:59:43", .timestamp("2001-12-14T21:59:43")),
        ("2024-1-1 1:00:00", .timestamp("2024-01-01T01:00:00")),
        ("2024-01-01 10:00:00.1234567", .timestamp("2024-01-01T10:00:00.123456")),
        // Strings: everything else, and what LiteLLM configs hold.
        ("os.environ/AZURE_API_KEY", .string("os.environ/AZURE_API_KEY")), ("gpt-4o", .string("gpt-4o")),
        ("'yes'", .string("yes")), ("\"12\"", .string("12")), ("'2024-02-01'", .string("2024-02-01")),
        ("! 12", .int(12)), ("!!str 12", .string("12")), ("!!int '0x10'", .int(16)), ("!!float '1e3'", .float(1000)),
        ("!!bool 'YeS'", .bool(true)), ("!!null x", .null), ("!!binary aGVsbG8=", .binary(Array("hello".utf8))),
        ("!!timestamp '2024-1-1'", .date("2024-01-01")), ("!<tag:yaml.org,2002:int> '7'", .int(7)),
    ]

    @Test(arguments: table)
    func plainScalarTyping(scalar: String, expected: YAMLNode.Value) throws {
        #expect(try Self.value(scalar) == expected, "v: \(scalar)")
    }

    @Test func nanIsAFloat() throws {
        guard case .float(let d)? = try Self.value(".NaN") else {
            Issue.record(".NaN should be a float")
            return
        }
        #expect(d.isNaN)
    }

    @Test func quotedAndBlockScalarsStayStrings() throws {
        let root = try YAMLLoader.load(Array("a: 'on'\nb: |\n  12\nc: 12\n".utf8), file: "t.yaml")
        #expect(root["a"]?.value == .string("on"))
        #expect(root["a"]?.wasQuoted == true)
        #expect(root["b"]?.value == .string("12\n"))
        #expect(root["b"]?.wasQuoted == true)
        #expect(root["c"]?.value == .int(12))
        #expect(root["c"]?.wasQuoted == false)
    }

    @Test func scalarTextIsPythonStr() throws {
        let root = try YAMLLoader.load(Array("""
            [yes, ~, 12, 1.0, 1e16x, 1.0e+16, 0.00001, .inf, 2024-02-01, 2024-02-01 10:20:30+01:00, !!binary YSdi, text]
            """.utf8), file: "t.yaml")
        guard case .sequence(let items) = root.value else {
            Issue.record("expected a list")
            return
        }
        #expect(items.map(\.scalarText) == [
            "True", "None", "12", "1.0", "1e16x", "1e+16", "1e-05", "inf", "2024-02-01", "2024-02-01 10:20:30+01:00",
            "b\"a'b\"", "text",
        ])
        #expect(items.map(\.kindName) == [
            "boolean", "null", "integer", "float", "string", "float", "float", "float", "date", "timestamp", "binary",
            "string",
        ])
        #expect(root.scalarText == "")
        #expect(root.kindName == "list")
    }
}
