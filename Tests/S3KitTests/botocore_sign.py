"""Signs S3 requests with botocore's S3SigV4Auth, the reference for S3KitTests.

Reads a JSON list of request descriptions on stdin and prints a JSON list of results. Each request
has: name, method, endpoint ("https://host[:port]"), bucket, keyHex (the key's UTF-8 bytes in hex,
so no layer can normalise its Unicode), query ([[name, value or null], ...]), headers
([[name, value], ...]), bodyHex (or null), unsigned (bool), timestamp ("yyyyMMddTHHmmssZ"),
accessKey, secretKey, region.

The URL is built the way botocore's REST serializer does (percent_encode of the key with "/" and
"~" safe, of query names and values with nothing but unreserved safe), then signed with the clock
fixed by replacing botocore.auth.get_current_datetime, which add_auth reads for the timestamp.
"""

import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode


def build_url(req):
    key = bytes.fromhex(req["keyHex"]).decode("utf-8")
    path = "/" + percent_encode(req["bucket"])
    if key:
        path += "/" + percent_encode(key, safe="/~")
    pairs = []
    for name, value in req["query"]:
        pairs.append(percent_encode(name) + ("" if value is None else "=" + percent_encode(value)))
    query = "&".join(pairs)
    return path, query, req["endpoint"] + path + ("?" + query if query else "")


def sign(req):
    path, query, url = build_url(req)
    fixed = datetime.datetime.strptime(req["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed

    body = bytes.fromhex(req["bodyHex"]) if req["bodyHex"] is not None else None
    request = AWSRequest(method=req["method"], url=url, headers=dict(req["headers"]), data=body)
    if req["unsigned"]:
        # S3SigV4Auth signs the payload unless the client config turns it off explicitly.
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})

    auth = botocore.auth.S3SigV4Auth(
        Credentials(req["accessKey"], req["secretKey"]), "s3", req["region"])
    captured = {}
    original = auth.string_to_sign

    def capture(request, canonical_request):
        captured["canonicalRequest"] = canonical_request
        captured["stringToSign"] = original(request, canonical_request)
        return captured["stringToSign"]

    auth.string_to_sign = capture
    auth.add_auth(request)

    # botocore signs a Host it derives from the URL but leaves adding it to the HTTP library.
    host = next(line[5:] for line in captured["canonicalRequest"].split("\n")
                if line.startswith("host:"))
    return {
        "name": req["name"],
        "path": path,
        "query": query,
        "host": host,
        "headers": {name.lower(): value for name, value in request.headers.items()},
        "canonicalRequest": captured["canonicalRequest"],
        "stringToSign": captured["stringToSign"],
    }


json.dump([sign(req) for req in json.load(sys.stdin)], sys.stdout)
