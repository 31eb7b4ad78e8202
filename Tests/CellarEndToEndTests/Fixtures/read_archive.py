#!/usr/bin/env python3
"""Lists an archive with Python's own readers (an independent check of what cellar wrote).

Prints one JSON object: {"members": [{"name", "type": "dir"|"file"|"other", "size", "sha256"}]}
in archive order. tar.zst goes through the zstd tool first (tarfile cannot read zstd).
"""
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import zipfile


def digest(stream):
    hasher = hashlib.sha256()
    size = 0
    while True:
        block = stream.read(1 << 20)
        if not block:
            return size, hasher.hexdigest()
        size += len(block)
        hasher.update(block)


def tar_members(archive):
    out = []
    for info in archive:
        if info.isdir():
            out.append({"name": info.name, "type": "dir", "size": 0})
        elif info.isfile():
            size, sha = digest(archive.extractfile(info))
            out.append({"name": info.name, "type": "file", "size": size, "sha256": sha})
        else:
            out.append({"name": info.name, "type": "other", "size": info.size})
    return out


def main(path):
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                raise SystemExit("zip CRC error")
            members = []
            for info in archive.infolist():
                if info.is_dir():
                    members.append({"name": info.filename.rstrip("/"), "type": "dir", "size": 0})
                else:
                    with archive.open(info) as stream:
                        size, sha = digest(stream)
                    members.append({"name": info.filename, "type": "file", "size": size, "sha256": sha})
    elif path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            members = tar_members(archive)
    else:
        with tarfile.open(path, mode="r:*") as archive:
            members = tar_members(archive)
    json.dump({"members": members}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
