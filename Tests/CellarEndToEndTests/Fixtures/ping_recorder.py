"""A healthchecks-style ping receiver for the tests: answers 200 to every request and appends
"METHOD PATH?QUERY<TAB>BODY" (body with newlines as \\n) to the file named by argv[1].

Prints "PORT <n>" once it listens on 127.0.0.1, and exits when its standard input closes.
"""
import http.server
import sys
import threading


class Recorder(http.server.BaseHTTPRequestHandler):
    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        with open(sys.argv[1], "a", encoding="utf-8") as log:
            log.write(f"{self.command} {self.path}\t{body.replace(chr(10), chr(92) + 'n')}\n")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    do_GET = do_POST = do_HEAD = handle_one

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
print(f"PORT {server.server_address[1]}", flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
