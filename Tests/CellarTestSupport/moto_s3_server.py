#!/usr/bin/env python3
"""An independent S3 server (moto) on a random loopback port, with the bucket "cellar-test" created
(moto refuses names under three characters such as Cells' "io").

With --fault-rate R (0 to 1), that share of requests fails the way object stores and networks
fail, chosen by a seeded generator (--seed) so a failing run can be replayed:
  refused   503 SlowDown before the request is handled (nothing done on the server);
  lost      500 InternalError after the request was handled (done, but the answer is lost:
            a retried CompleteMultipartUpload then meets NoSuchUpload);
  cut       a GET's body stops half-way and the connection closes.
Every fault is counted; GET /_faults answers the counts as JSON.

Prints "PORT <n>" once ready and serves until its standard input closes or it is killed, so it
never outlives the test run that started it.
"""
import argparse
import json
import logging
import os
import random
import signal
import sys
import threading

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

ERROR = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
         '<Message>injected fault</Message></Error>')


class Faults:
    """A WSGI middleware failing a share of the requests it passes to `app`."""

    def __init__(self, app, rate, seed):
        self.app = app
        self.rate = rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.counts = {"requests": 0, "refused": 0, "lost": 0, "cut": 0}

    def draw(self, method):
        with self.lock:
            self.counts["requests"] += 1
            if self.random.random() >= self.rate:
                return None
            shapes = ["refused", "lost"] + (["cut"] if method == "GET" else [])
            shape = self.random.choice(shapes)
            self.counts[shape] += 1
            return shape

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/_faults":
            body = json.dumps(self.counts).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        shape = self.draw(environ.get("REQUEST_METHOD", ""))
        if shape == "refused":
            return self.error(start_response, "503 Service Unavailable", "SlowDown")
        if shape == "lost":
            body = b"".join(self.app(environ, lambda *args, **kwargs: None))
            del body
            return self.error(start_response, "500 Internal Server Error", "InternalError")
        if shape == "cut":
            return self.cut(environ, start_response)
        return self.app(environ, start_response)

    @staticmethod
    def error(start_response, status, code):
        body = ERROR.format(code=code).encode()
        start_response(status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
        return [body]

    def cut(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(self.app(environ, capture))
        start_response(captured["status"], captured["headers"])
        if len(body) < 2:
            return [body]

        def half():
            yield body[: len(body) // 2]
            raise ConnectionAbortedError("injected fault: body cut")

        return half()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    app = Faults(DomainDispatcherApplication(create_backend_app), options.fault_rate, options.seed)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    # The bucket is made before faults start to count (the first request would otherwise be drawn too).
    rate, app.rate = app.rate, 0.0
    s3 = boto3.client(
        "s3", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test")
    s3.create_bucket(Bucket="cellar-test")
    app.rate = rate
    print("PORT %d" % port, flush=True)
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    main()
