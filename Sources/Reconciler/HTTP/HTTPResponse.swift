/// A complete HTTP response from `HTTPTransport`, whatever its status.
///
/// ```swift
/// let response = try await transport.send(request)
/// if response.status == 200, let type = response.headers["content-type"] { … }
/// ```
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names are lower-cased; repeated headers are joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
