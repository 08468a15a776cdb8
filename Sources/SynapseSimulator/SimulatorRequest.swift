/// One HTTP request as the simulated gateway sees it: method, decoded path, query, credentials and body bytes.
struct SimulatorRequest: Sendable {
    var method: String
    /// The path without its query, e.g. `/api/v1/teams/3f…`.
    var path: String
    var query: [String: String]
    var authorization: String?
    var body: [UInt8]

    /// Path segments with percent-escapes decoded (ids and tenant names are user data).
    var segments: [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { SimulatorRequest.percentDecoded(String($0)) }
    }

    var isWrite: Bool { method != "GET" && method != "HEAD" }

    static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        var utf8 = Array(s.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
