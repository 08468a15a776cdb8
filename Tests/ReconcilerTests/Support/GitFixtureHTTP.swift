import Foundation

/// `git http-backend` behind a small Python HTTP server on 127.0.0.1 that demands Basic auth, and logs one line
/// per request saying whether the expected credentials came with it (`auth=ok`, `auth=bad`, `auth=none`).
///
/// ```swift
/// let server = try GitHTTPServer(projectRoot: base, user: "bot", password: "s3cret", log: logPath)
/// defer { server.stop() }
/// // clone http://127.0.0.1:\(server.port)/origin
/// ```
final class GitHTTPServer {
    private let server: FixtureServer
    var port: Int { server.port }

    init(projectRoot: String, user: String, password: String, log: String) throws {
        let script = URL(fileURLWithPath: projectRoot).deletingLastPathComponent().appendingPathComponent("git-http-server.py")
        try Data(Self.script.utf8).write(to: script)
        let port = try GitFixtureNetwork.freePort()
        server = try FixtureServer(
            "/usr/bin/python3", [script.path, projectRoot, String(port), user, password, log], port: port)
    }

    func stop() { server.stop() }

    private static let script = #"""
        import base64, os, subprocess, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        root, port, user, password, log = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def handle_any(self):
                body = self.body()
                auth = self.headers.get("Authorization")
                verdict = "ok" if auth == expected else ("bad" if auth else "none")
                with open(log, "a") as f:
                    f.write(f"{self.command} {self.path} auth={verdict}\n")
                if verdict != "ok":
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path, _, query = self.path.partition("?")
                env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", REQUEST_METHOD=self.command,
                           PATH_INFO=path, QUERY_STRING=query, CONTENT_TYPE=self.headers.get("Content-Type", ""),
                           CONTENT_LENGTH=str(len(body)), REMOTE_USER=user, REMOTE_ADDR="127.0.0.1",
                           GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
                out = subprocess.run(["/usr/lib/git-core/git-http-backend"], input=body, env=env,
                                     capture_output=True, timeout=30).stdout
                head, _, payload = out.partition(b"\r\n\r\n")
                status, headers = 200, []
                for line in head.decode().split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = handle_any
            do_POST = handle_any

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
