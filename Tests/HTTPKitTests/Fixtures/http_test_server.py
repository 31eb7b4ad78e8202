#!/usr/bin/env python3
"""A small HTTP/1.1 server on a random loopback port for HTTPKit's tests.

It prints "PORT <n>" on stdout once listening, then serves until killed or until its standard
input closes (so it never outlives a test run that dies). With --cert and --key
it speaks TLS. Bodies are a deterministic pattern: byte i of any body is i % 251.

Routes (GET unless said):
  /status/N             status N, header X-Test: yes, body "status N"
  /bytes/N[?chunked=1]  N pattern bytes, with Content-Length or chunked encoding (GET and HEAD)
  /drop/N               announces N bytes, sends half of them, then closes the connection
  /delay?ms=M           waits M ms, then answers "late"
  /peer                 the client's address and port, so tests can see connection reuse
  /headers              the request headers as JSON
  PUT|POST /echo        sends the request body back, with X-Method and X-Content-Type headers
"""
import argparse
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PATTERN = bytes(i % 251 for i in range(251 * 4177))  # about 1 MiB, a whole number of periods


def pattern(n):
    out = bytearray()
    while len(out) < n:
        out += PATTERN[: n - len(out)]
    return bytes(out)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def route(self):
        url = urlparse(self.path)
        return url.path.strip("/").split("/"), parse_qs(url.query)

    def send_body(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def stream_pattern(self, n, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        while sent < n:
            block = PATTERN[: min(len(PATTERN), n - sent)]
            if chunked:
                self.wfile.write(b"%x\r\n" % len(block) + block + b"\r\n")
            else:
                self.wfile.write(block)
            sent += len(block)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        parts, query = self.route()
        head = parts[0]
        if head == "status":
            code = int(parts[1])
            self.send_body(code, b"status %d" % code, [("X-Test", "yes")])
        elif head == "bytes":
            self.stream_pattern(int(parts[1]), query.get("chunked") == ["1"])
        elif head == "drop":
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            self.wfile.write(pattern(n // 2))
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif head == "delay":
            time.sleep(int(query.get("ms", ["1000"])[0]) / 1000)
            self.send_body(200, b"late")
        elif head == "peer":
            self.send_body(200, ("%s:%d" % self.client_address).encode())
        elif head == "headers":
            self.send_body(200, json.dumps({k.lower(): v for k, v in self.headers.items()}).encode())
        else:
            self.send_body(404, b"no such route")

    def do_PUT(self):
        parts, _ = self.route()
        if parts[0] != "echo":
            return self.send_body(404, b"no such route")
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        extra = [("X-Method", self.command), ("X-Content-Type", self.headers.get("Content-Type", ""))]
        self.send_body(200, body, extra)

    do_POST = do_PUT


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 drops bursts of connects

    def handle_error(self, request, client_address):
        # Clients that cancel or time out close their end; that is what several tests do.
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    # A parent may spawn us with SIGTERM blocked (threads of its own block it); stop on it anyway.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    server = QuietServer(("127.0.0.1", 0), Handler)
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    def exit_when_parent_goes():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
