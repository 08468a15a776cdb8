extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, line breaks): what header values, URLs read
    /// from flags and lines of an env file are compared as.
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
