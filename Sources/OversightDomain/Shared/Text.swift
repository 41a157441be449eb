extension String {
    /// The string without leading and trailing white space (including newlines and the ideographic space U+3000).
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}

extension Optional where Wrapped == String {
    /// The trimmed text, or `nil` when it is absent or only white space.
    var trimmedOrNil: String? {
        guard let text = self?.trimmed, !text.isEmpty else { return nil }
        return text
    }
}
