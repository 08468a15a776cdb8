import Mapping
import SynapseContract
import Testing

/// Every expected value below is what PyYAML 6 `yaml.safe_load("k: " + text)["k"]` returns (checked with python3),
/// written as YAMLNode values.
@Suite struct YAMLTypingTests {
    static let plainScalars: [(String, YAMLNode.Value)] = [
        // bool: yes/no/true/false/on/off in three casings only; y/n are strings.
        ("yes", .bool(true)), ("Yes", .bool(true)), ("YES", .bool(true)),
        ("no", .bool(false)), ("No", .bool(false)), ("NO", .bool(false)),
        ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
        ("false", .bool(false)), ("False", .bool(false)), ("FALSE", .bool(false)),
        ("on", .bool(true)), ("On", .bool(true)), ("ON", .bool(true)),
        ("off", .bool(false)), ("Off", .bool(false)), ("OFF", .bool(false)),
        ("y", .string("y")), ("n", .string("n")), ("yEs", .string("yEs")), ("tRUE", .string("tRUE")),
        ("oN", .string("oN")),
        // null
        ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("nULL", .string("nULL")),
        // int: decimal, octal with a leading 0 (0o17 is a string), binary, hex (lower-case x only), underscores
        ("0", .int(0)), ("-0", .int(0)), ("+0", .int(0)), ("00", .int(0)), ("0_", .int(0)),
        ("017", .int(15)), ("-017", .int(-15)), ("0_17", .int(15)), ("08", .string("08")), ("0o17", .string("0o17")),
        ("0b101", .int(5)), ("-0b101", .int(-5)), ("0b1_0", .int(2)),
        ("0x1F", .int(31)), ("-0x1F", .int(-31)), ("0x_1f", .int(31)), ("0Xff", .string("0Xff")),
        ("0xFFFFFFFFFFFFFFFFFF", .bigInt("4722366482869645213695")),
        ("1_000", .int(1000)), ("+12", .int(12)), ("-12", .int(-12)), ("1_", .int(1)),
        ("9223372036854775807", .int(9_223_372_036_854_775_807)),
        ("9223372036854775808", .bigInt("9223372036854775808")),
        ("-9223372036854775808", .int(-9_223_372_036_854_775_808)),
        ("-9223372036854775809", .bigInt("-9223372036854775809")),
        ("123456789012345678901234567890", .bigInt("123456789012345678901234567890")),
        // sexagesimal ints: base 60, each later part [0-5]?[0-9]
        ("1:30", .int(90)), ("-1:30", .int(-90)), ("190:20:30", .int(685_230)), ("1:5", .int(65)),
        ("1_0:30", .int(630)), ("1:60", .string("1:60")), ("09:30", .string("09:30")),
        // float: a dot is required, an exponent needs a sign, no sign before a leading dot
        ("1.5", .float(1.5)), ("-1.5", .float(-1.5)), ("+1.5", .float(1.5)), ("1.", .float(1.0)), (".5", .float(0.5)),
        ("-.5", .string("-.5")), ("+.5", .string("+.5")),
        ("1.0e+3", .float(1000.0)), ("1.0E-3", .float(0.001)), ("1.0e3", .string("1.0e3")), ("1e3", .string("1e3")),
        ("1E+3", .string("1E+3")), ("1e-05", .string("1e-05")), ("0.00001", .float(1e-05)),
        ("1_000.5", .float(1000.5)), ("1__.e+5", .float(100_000.0)), ("._5", .string("._5")), ("3.14_15", .float(3.1415)),
        ("190:20:30.15", .float(685_230.15)), ("1:5.5", .float(65.5)),
        (".inf", .float(.infinity)), ("-.inf", .float(-.infinity)), ("+.INF", .float(.infinity)), (".Inf", .float(.infinity)),
        ("-.nan", .string("-.nan")), ("0.1", .float(0.1)), ("100.0", .float(100.0)),
        // timestamps: a date alone needs two-digit month and day; with a time they may have one
        ("2024-02-01", .date("2024-02-01")), ("2024-2-1", .string("2024-2-1")),
        ("2024-02-01T10:20:30", .timestamp("2024-02-01T10:20:30")),
        ("2024-02-01t10:20:30Z", .timestamp("2024-02-01T10:20:30+00:00")),
        ("2001-12-14t21:59:43.10-05:00", .timestamp("2001-12-14T21:59:43.100000-05:00")),
        ("2001-12-14 21:59:43.1234567", .timestamp("2001-12-14T21:59:43.123456")),
        ("2024-1-1 1:00:00", .timestamp("2024-01-01T01:00:00")),
        ("2001-12-14_21:59:43", .string("2001-12-14_21:59:43")),
        // strings that look a little like numbers
        ("1.2.3", .string("1.2.3")), ("1-2", .string("1-2")), ("0x", .string("0x")), ("0b", .string("0b")),
        ("0o", .string("0o")), ("--1", .string("--1")), ("+a", .string("+a")), (".", .string(".")),
        ("0.0.0", .string("0.0.0")), ("v1.0", .string("v1.0")), ("12abc", .string("12abc")),
        ("os.environ/OPENAI_API_KEY", .string("os.environ/OPENAI_API_KEY")),
    ]

    @Test func plainScalarsAreTypedAsPyYAML() throws {
        for (text, expected) in Self.plainScalars {
            let node = try loadYAML("k: \(text)")["k"]
            #expect(node?.value == expected, "k: \(text)")
            #expect(node?.wasQuoted == false)
        }
    }

    @Test func nanIsAFloat() throws {
        for text in [".nan", ".NaN", ".NAN"] {
            guard case .float(let d)? = try loadYAML("k: \(text)")["k"]?.value else {
                Issue.record("k: \(text) is not a float")
                continue
            }
            #expect(d.isNaN)
        }
        #expect(try loadYAML("k: .nan")["k"]?.json == .null)
    }

    @Test func emptyValuesAreNull() throws {
        let node = try loadYAML("a:\nb: \nc: ''\n")
        #expect(node["a"]?.value == .null)
        #expect(node["b"]?.value == .null)
        #expect(node["c"]?.value == .string(""))
    }

    static let tagged: [(String, YAMLNode.Value)] = [
        ("!!str 12", .string("12")), ("!!str yes", .string("yes")), ("!!str ~", .string("~")),
        ("!!int '12'", .int(12)), ("!!int '0o17'", .int(15)), ("!!int ' 12 '", .int(12)), ("!!int '1:-5'", .int(55)),
        ("!!int \"0b_1\"", .int(1)),
        ("!!float 3", .float(3.0)), ("!!float '1e3'", .float(1000.0)), ("!!float 'inf'", .float(.infinity)),
        ("!!float \"-1_0.5\"", .float(-10.5)),
        ("!!bool 'YeS'", .bool(true)), ("!!bool OFF", .bool(false)),
        ("!!null x", .null), ("!!null", .null),
        ("!!timestamp \"2024-2-1\"", .date("2024-02-01")),
        ("!!timestamp 2024-02-01 1:02:03.5 +01:99", .timestamp("2024-02-01T01:02:03.500000+02:39")),
        ("!!binary aGVsbG8=", .binary(Array("hello".utf8))), ("!!binary 'aGVs\n  bG8='", .binary(Array("hello".utf8))),
        ("!<tag:yaml.org,2002:str> 5", .string("5")),
        // The non-specific tag `!` resolves like a plain scalar, even a quoted one.
        ("! 12", .int(12)), ("! '12'", .int(12)), ("! \"yes\"", .bool(true)), ("!", .null),
        // Quoted and block scalars stay strings.
        ("\"yes\"", .string("yes")), ("'12'", .string("12")), ("|\n  12", .string("12")), (">\n  true", .string("true")),
        ("\"~\"", .string("~")), ("''", .string("")), ("'2024-02-01'", .string("2024-02-01")),
    ]

    @Test func explicitTagsAreConstructedAsSafeLoad() throws {
        for (text, expected) in Self.tagged {
            let node = try loadYAML("k: \(text)")["k"]
            #expect(node?.value == expected, "k: \(text)")
        }
        #expect(try loadYAML("k: '12'")["k"]?.wasQuoted == true)
        #expect(try loadYAML("k: |\n  x\n")["k"]?.wasQuoted == true)
    }

    @Test func explicitCollectionTags() throws {
        let doc = try loadYAML("""
            s: !!set {a, b: 2, a}
            o: !!omap [x: 1, y: 2]
            p: !!pairs [x: 1, x: 2]
            m: !!map {a: 1}
            q: !!seq [1]
            """)
        // !!set keeps the keys (values dropped); !!omap/!!pairs are lists of [key, value].
        #expect(doc["s"]?.json == ["a": nil, "b": nil])
        #expect(doc["o"]?.json == [["x", 1], ["y", 2]])
        #expect(doc["p"]?.json == [["x", 1], ["x", 2]])
        #expect(doc["m"]?.json == ["a": 1])
        #expect(doc["q"]?.json == [1])
    }

    @Test func keysThatPythonConsidersEqualAreOneKey() throws {
        // 1, 1.0 and true are one dict key in Python: the first key stays, the last value wins.
        let doc = try loadYAML("{1: a, 1.0: b, true: c, 0: d, -0.0: e, false: f, null: g, ~: h}")
        #expect(doc.mappingValue?.map(\.key.value) == [.int(1), .int(0), .null])
        #expect(doc.json == ["1": "c", "0": "f", "null": "h"])
        // Equal instants are one key; a date and a midnight datetime are not.
        let times = try loadYAML("""
            {2001-12-14t21:59:43-05:00: a, 2001-12-15 02:59:43Z: b, 2024-01-01: c, 2024-01-01 00:00:00: d}
            """)
        #expect(times.json == ["2001-12-14 21:59:43-05:00": "b", "2024-01-01": "c", "2024-01-01 00:00:00": "d"])
    }

    @Test func jsonKeysAreWhatJSONDumpsWrites() throws {
        let doc = try loadYAML("{1: a, 1.5: b, null: d, 1.0e+300: e, .inf: f, 2024-02-01: g, 10000000000000000.0: h}")
        #expect(doc.json == [
            "1": "a", "1.5": "b", "null": "d", "1e+300": "e", "Infinity": "f", "2024-02-01": "g", "1e+16": "h",
        ])
        #expect(try loadYAML("{true: a, false: b, -.inf: c, 0.1: d}").json == ["true": "a", "false": "b", "-Infinity": "c", "0.1": "d"])
        // Two keys that become the same string: the later one wins, as in the dict json.dumps reads.
        #expect(try loadYAML("{1: a, '1': b}").json == ["1": "b"])
        #expect(try loadYAML("{'1': a, 1: b}").json == ["1": "b"])
    }

    @Test func jsonValues() throws {
        let doc = try loadYAML("""
            d: 2024-02-01
            t: 2001-12-14t21:59:43.10-05:00
            b: !!binary aGVsbG8=
            big: 123456789012345678901234567890
            inf: -.inf
            """)
        #expect(doc["d"]?.json == "2024-02-01")
        #expect(doc["t"]?.json == "2001-12-14 21:59:43.100000-05:00")  // str(datetime), as default=str gives
        #expect(doc["b"]?.json == "aGVsbG8=")
        #expect(doc["big"]?.json == .double(1.2345678901234568e29))
        #expect(doc["inf"]?.json == .null)
    }
}
