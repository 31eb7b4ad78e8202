#!/usr/bin/env python3
"""An independent S3 server (moto) on a random loopback port, with the bucket "cellar-test" created
(moto refuses names under three characters such as Cells' "io").

Prints "PORT <n>" once ready and serves until its standard input closes or it is killed, so it
never outlives the test run that started it.
"""
import os
import signal
import sys
import threading

import logging

import boto3
from moto.server import ThreadedMotoServer


def main():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server._server.server_port
    s3 = boto3.client(
        "s3", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test")
    s3.create_bucket(Bucket="cellar-test")
    print("PORT %d" % port, flush=True)
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    main()
