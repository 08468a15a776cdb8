import CCurl
import FoundationEssentials
import Glibc

/// One request on one libcurl easy handle, with the buffers its callbacks fill. Lives on the loop thread only.
final class CurlTransfer {
    let job: CurlJob
    let easy: UnsafeMutableRawPointer
    private let method: String
    private let path: String
    private let timeoutSeconds: Double
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    fileprivate var body: [UInt8] = []
    fileprivate var headers: [String: String] = [:]

    init(job: CurlJob, options: HTTPTransportOptions) throws(HTTPTransportError) {
        self.job = job
        method = job.request.method.uppercased()
        path = job.request.pathForDisplay
        timeoutSeconds = options.timeoutSeconds
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard let easy = curl_easy_init() else {
            errorBuffer.deallocate()
            throw .invalidRequest(method: method, path: path, reason: "curl_easy_init failed")
        }
        self.easy = easy
        try configure(options)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)  // only after the handle that used it is gone
        errorBuffer.deallocate()
    }

    private func configure(_ options: HTTPTransportOptions) throws(HTTPTransportError) {
        let request = job.request
        var ok = true
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }

        check(ccurl_setopt_string(easy, CURLOPT_URL, request.url))
        check(ccurl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        check(ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeoutSeconds * 1000)))
        check(ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(options.timeoutSeconds * 1000)))
        check(ccurl_setopt_string(easy, CURLOPT_USERAGENT, options.userAgent))
        check(ccurl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        check(ccurl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        if let caFile = options.caFile { check(ccurl_setopt_string(easy, CURLOPT_CAINFO, caFile)) }
        if !request.isIdempotent { check(ccurl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)) }

        let context = Unmanaged.passUnretained(self).toOpaque()
        check(ccurl_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, curlBodyCallback))
        check(ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        check(ccurl_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        check(ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, context))

        switch (method, request.body) {
        case ("GET", nil):
            check(ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case ("HEAD", nil):
            check(ccurl_setopt_long(easy, CURLOPT_NOBODY, 1))
        case (_, let body?):
            check(ccurl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies now; an empty body still needs a valid pointer.
                let empty: [CChar] = [0]
                empty.withUnsafeBytes { fallback in
                    let pointer = bytes.count > 0 ? bytes.baseAddress! : fallback.baseAddress!
                    check(ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer)))
                }
            }
            if method != "POST" { check(ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
        default:
            check(ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method))
        }

        // An empty "Expect:" stops libcurl from waiting for "100 Continue" before sending larger bodies.
        var lines = ["Expect:"]
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            guard !name.contains(where: \.isNewline), !value.contains(where: \.isNewline), !name.contains(":") else {
                throw .invalidRequest(method: method, path: path, reason: "header '\(name)' contains a line break or colon")
            }
            lines.append("\(name): \(value)")
        }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        check(ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))

        guard ok else { throw .invalidRequest(method: method, path: path, reason: "libcurl rejected an option") }
    }

    /// The outcome once libcurl reports the transfer done with `code`.
    func result(code: CURLcode) -> Result<HTTPResponse, HTTPTransportError> {
        if code == CURLE_OK {
            var status = 0
            _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: headers, body: body))
        }
        let reason = errorReason(code)
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .failure(.invalidRequest(method: method, path: path, reason: reason))
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            return .failure(.connectionFailed(method: method, path: path, reason: reason))
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .failure(.tlsFailure(method: method, path: path, reason: reason))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timedOut(method: method, path: path, seconds: timeoutSeconds, requestSent: requestSent))
        default:
            return .failure(
                requestSent
                    ? .noResponse(method: method, path: path, reason: reason)
                    : .connectionFailed(method: method, path: path, reason: reason))
        }
    }

    func cancelledError() -> HTTPTransportError {
        .cancelled(method: method, path: path, requestSent: requestSent)
    }

    /// Whether any of the request reached the connection: past connect (and TLS), or request bytes written.
    private var requestSent: Bool {
        var pretransfer = 0.0
        var requestSize = 0
        _ = ccurl_getinfo_double(easy, CURLINFO_PRETRANSFER_TIME, &pretransfer)
        _ = ccurl_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestSize)
        return pretransfer > 0 || requestSize > 0
    }

    /// libcurl's detail line (names host and port, never headers), else its generic text for the code.
    private func errorReason(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer).trimmingWhitespace()
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    fileprivate func appendHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response block (after "100 Continue" or a redirect)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingWhitespace().lowercased()
        let value = line[line.index(after: colon)...].trimmingWhitespace()
        if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
    }
}

private let curlBodyCallback: curl_write_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

private let curlHeaderCallback: curl_write_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
    transfer.appendHeaderLine(line)
    return length
}
