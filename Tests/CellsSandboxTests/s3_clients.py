"""boto3 against a running CellsSandbox: the checks RealClientTests.swift drives.

Usage: python3 s3_clients.py ENDPOINT ACCESS_KEY SECRET_KEY
Prints one JSON object with what each step saw; exits 2 with {"error": CODE} when the server
refuses a request (e.g. a wrong secret gives SignatureDoesNotMatch).
"""
import hashlib
import json
import os
import sys

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, access_key, secret_key = sys.argv[1:4]
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    aws_access_key_id=access_key,
    aws_secret_access_key=secret_key,
    region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
)
out = {}
try:
    # Plain put/get, with botocore's default checksum behaviour (CRC32 on PUT).
    body = "héllo from boto3\n".encode()
    s3.put_object(Bucket="io", Key="common-files/boto/hello.txt", Body=body, ContentType="text/plain")
    got = s3.get_object(Bucket="io", Key="common-files/boto/hello.txt")
    out["get_equal"] = got["Body"].read() == body
    out["content_type"] = got["ContentType"]

    # Ranged get.
    ranged = s3.get_object(Bucket="io", Key="common-files/boto/hello.txt", Range="bytes=0-4")
    out["range"] = ranged["Body"].read().decode("utf-8", "replace")

    # Multipart through the transfer manager: 12 MiB in 5 MiB parts.
    data = os.urandom(12 * 1024 * 1024)
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "boto-mp-%d.bin" % os.getpid())
    with open(path, "wb") as f:
        f.write(data)
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(path, "io", "common-files/boto/big.bin", Config=config)
    os.remove(path)
    big = s3.get_object(Bucket="io", Key="common-files/boto/big.bin")["Body"].read()
    out["multipart_sha256_equal"] = hashlib.sha256(big).hexdigest() == hashlib.sha256(data).hexdigest()
    out["multipart_etag"] = s3.head_object(Bucket="io", Key="common-files/boto/big.bin")["ETag"]

    # Listing.
    listed = s3.list_objects_v2(Bucket="io", Prefix="common-files/boto/", Delimiter="/")
    out["keys"] = sorted(o["Key"] for o in listed.get("Contents", []))
    out["truncated"] = listed["IsTruncated"]
    out["buckets"] = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])
except ClientError as error:
    print(json.dumps({"error": error.response["Error"]["Code"]}))
    sys.exit(2)
print(json.dumps(out))
