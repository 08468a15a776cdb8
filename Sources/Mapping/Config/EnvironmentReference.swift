/// LiteLLM's `os.environ/NAME` syntax: a string value that names an environment variable.
///
/// LiteLLM resolves it only when it is the whole string value of a mapping key (also inside mappings that are list
/// items), never inside a plain string list; an unset variable becomes null. The plan keeps references as they are;
/// `apply` resolves them from the environment (and `--env-file`) just before writing.
public enum EnvironmentReference {
    public static let prefix = "os.environ/"

    /// The variable name if `text` is a reference (`os.environ/OPENAI_API_KEY` → `OPENAI_API_KEY`).
    public static func variableName(in text: String) -> String? {
        guard text.hasPrefix(prefix) else { return nil }
        let name = text.dropFirst(prefix.count)
        return name.isEmpty ? nil : String(name)
    }

    public static func reference(to variable: String) -> String { prefix + variable }

    /// Whether `name` is a usable environment variable name (letters, digits, `_`; not starting with a digit).
    public static func isValidName(_ name: String) -> Bool { isValidName(name.utf8) }

    /// ``isValidName(_:)`` of a name's UTF-8 bytes.
    static func isValidName(_ name: some Collection<UInt8>) -> Bool {
        guard let first = name.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.allSatisfy { b in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_")
        }
    }
}
