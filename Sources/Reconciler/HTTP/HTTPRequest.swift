/// One HTTP request for `HTTPTransport`.
///
/// ```swift
/// let request = HTTPRequest(method: "GET", url: "https://gw.example/api/v1/teams?page=1",
///                           headers: ["Authorization": "Bearer \(key.value)"])
/// ```
///
/// Headers and body are never logged or copied into errors: they carry the bearer key and provider keys.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [String: String] = [:], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The path and query of `url`, without scheme, host or user info: what errors and logs may show.
    public var pathForDisplay: String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// Whether repeating the request could change the server twice (a POST that creates).
    var isIdempotent: Bool {
        switch method.uppercased() {
        case "POST", "PATCH": return false
        default: return true
        }
    }
}
