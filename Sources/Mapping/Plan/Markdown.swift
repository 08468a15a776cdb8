/// Markdown helpers shared by every report.
public enum Markdown {
    /// Escapes text for a table cell: `|` escaped, line breaks folded.
    public static func cell(_ text: String) -> String {
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
