"""A server that answers every request wrongly, in the way its first path segment names.

/html/...      200 with an HTML page          /empty/...     200 with no body
/invalid/...   200 with broken JSON           /redirect/...  302 to itself, forever
/huge/...      200 with 100 MiB of JSON       /short/...     Content-Length 100, 50 bytes, close

Prints "PORT <n>" once listening on 127.0.0.1; exits when its standard input closes.
"""
import http.server
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        kind = self.path.strip("/").split("/")[0]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if kind == "redirect":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if kind == "huge":
            chunk = b'{"Nodes":[' + b'{"Path":"x"},' * 10000
            total = 100 << 20
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            sent = 0
            try:
                while sent < total:
                    piece = chunk[: total - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if kind == "short":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.send_header("ETag", '"0123456789abcdef0123456789abcdef"')
            self.end_headers()
            self.wfile.write(b"x" * 50)
            self.wfile.flush()
            self.close_connection = True
            return
        body = {"html": b"<html><body>Gateway login</body></html>", "empty": b"", "invalid": b'{"Nodes": [{"Path": '}
        payload = body.get(kind, b"{}")
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if kind == "html" else "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_HEAD = answer


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"PORT {server.server_address[1]}", flush=True)
sys.stdin.read()
