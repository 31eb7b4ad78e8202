"""A healthchecks-style ping receiver for the tests of `--ping-url`.

Answers 200 to every request and records it (method, path, query, body), in memory and, with
`--log FILE`, as one JSON line each in FILE. GET /_requests answers the requests recorded so
far as a JSON array (that request itself is not recorded).

--fail PREFIX    a request whose path starts with PREFIX answers 500 (it is still recorded)
--sleep PREFIX   a request whose path starts with PREFIX is answered only after 600 s

Prints "PORT <n>" once listening on 127.0.0.1; exits when its standard input closes.
"""
import argparse
import http.server
import json
import sys
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--log")
parser.add_argument("--fail", action="append", default=[])
parser.add_argument("--sleep", action="append", default=[])
options = parser.parse_args()

recorded = []
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload=b"OK", content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def answer(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.command == "GET" and url.path == "/_requests":
            with lock:
                payload = json.dumps(recorded).encode()
            self.reply(200, payload, "application/json")
            return
        entry = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "body": body.decode("utf-8", "replace"),
        }
        with lock:
            recorded.append(entry)
            if options.log:
                with open(options.log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(entry) + "\n")
        if any(url.path.startswith(prefix) for prefix in options.sleep):
            time.sleep(600)
        if any(url.path.startswith(prefix) for prefix in options.fail):
            self.reply(500, b"failing on purpose")
            return
        self.reply(200)

    do_GET = do_POST = do_PUT = do_HEAD = answer


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"PORT {server.server_address[1]}", flush=True)
sys.stdin.read()
