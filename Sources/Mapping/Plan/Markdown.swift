import SynapseContract

/// Markdown helpers shared by every report.
public enum Markdown {
    /// Escapes text for a table cell: `|` escaped, line breaks folded.
    public static func cell(_ text: String) -> String {
        needsEscaping(text) ? escaped(text) : text
    }

    /// Appends `cell(text)` without building an intermediate string when there is nothing to escape (the usual case).
    public static func appendCell(_ text: String, to out: inout TextBuffer) {
        // One pass over the bytes for the check, and the same contiguous bytes copied when there is nothing to
        // escape (a report has hundreds of thousands of cells).
        var text = text
        let copied = text.withUTF8 { bytes -> Bool in
            for byte in bytes where byte == UInt8(ascii: "|") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                return false
            }
            out.append(bytes)
            return true
        }
        if !copied && !appendEscapedASCII(text, to: &out) { out.append(escaped(text)) }
    }

    /// `escaped(text)` appended byte by byte when the text is ASCII (a model key such as `gpt-4o|OPEN_AI` in every
    /// object row): there each character is one byte, except `\r\n`, which is one character. False, with nothing
    /// appended, for other text.
    private static func appendEscapedASCII(_ text: String, to out: inout TextBuffer) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            for byte in bytes where byte >= 0x80 { return false }
            var i = 0
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "|"):
                    out.append(byte: UInt8(ascii: "\\"))
                    out.append(byte: UInt8(ascii: "|"))
                case UInt8(ascii: "\n"):
                    out.append(byte: UInt8(ascii: " "))
                case UInt8(ascii: "\r") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"):
                    out.append(byte: UInt8(ascii: " "))
                    i += 1
                case let byte:
                    out.append(byte: byte)
                }
                i += 1
            }
            return true
        }
    }

    /// Whether the text holds a `|`, `\n` or `\r` byte. Text without them is its own cell; text with them goes
    /// through the character-by-character escape (a `|` followed by a combining mark is one character, not `|`).
    static func needsEscaping(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    }

    private static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
