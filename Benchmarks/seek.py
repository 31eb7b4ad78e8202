#!/usr/bin/env python3
"""`make bench-seek`: one file out of a multi-GiB archive, locally and from S3 (issue 18).

Backs up W2 (4 files of 512 MiB) + W1 (10,000 files of 4 KiB) + one 40 MiB file from the
sandbox, as tar.zst and plain tar, then takes back one 4 KiB file and the 40 MiB file:

  cellar extract           reads only the frames (or members) the sidecar points at
  cellar extract, no index the same without the sidecar's offsets: the whole archive, as
                           `cellar restore` read it before
  tar -x MEMBER            GNU tar, which reads the archive to its end
  the same from S3         the sandbox's own S3 gateway (moto copies the whole object for each
                           ranged GET: minutes per read of a 2 GiB object), the archive put
                           there by the aws CLI; the baseline is `aws s3 cp s3://… - | tar -x MEMBER`

Writes the wall time and the bytes read (cellar's own count; the whole archive for the
others) to Benchmarks/seek-results.md. A measurement, not a test.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import SECRET, Sandbox  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMALL = "common-files/W1/d050/f0050.bin"
LARGE = "common-files/Big/forty.bin"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"), help="folder of the binaries")
    parser.add_argument("--w2-mib", type=int, default=512, help="size of each of the 4 W2 files")
    parser.add_argument("--formats", default="tar.zst,tar")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "cellar-bench-seek"))
    parser.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "seek-results.md"))
    return parser.parse_args()


def seed(w2_mib):
    nodes = [{"path": "pydiods1/Big/forty.bin", "size": 40 << 20}]
    for index in range(4):
        nodes.append({"path": f"pydiods1/W2/big-{index}.bin", "size": w2_mib << 20})
    for folder in range(100):
        for index in range(100):
            nodes.append({"path": f"pydiods1/W1/d{folder:03}/f{index:04}.bin", "size": 4096})
    return {"nodes": nodes}


def run(command, env, check=True):
    start = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, shell=isinstance(command, str))
    wall = time.monotonic() - start
    if check and result.returncode != 0:
        raise RuntimeError(f"{command} exited {result.returncode}: {result.stderr[-600:]}")
    return wall, result


def extracted(result):
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return summary["archiveBytesRead"]


def main():
    args = parse_args()
    binaries = os.path.abspath(args.bin)
    cellar = os.path.join(binaries, "cellar")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    seed_path = os.path.join(args.work, "seed.json")
    with open(seed_path, "w") as out:
        json.dump(seed(args.w2_mib), out)
    sandbox = Sandbox(os.path.join(binaries, "cells-sandbox"), args.work, 0, seed_path)
    env = dict(os.environ, CELLS_URL=sandbox.url, CELLS_TOKEN=sandbox.token, AWS_ACCESS_KEY_ID=sandbox.token,
               AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION="us-east-1", AWS_ENDPOINT_URL=sandbox.url)
    env.pop("AWS_CA_BUNDLE", None)
    aws_config = os.path.join(args.work, "aws-config")
    with open(aws_config, "w") as out:
        out.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
    env["AWS_CONFIG_FILE"] = aws_config
    rows = []
    try:
        for fmt in args.formats.split(","):
            archive = os.path.join(args.work, f"all.{fmt}")
            run([cellar, "backup", "common-files/Big", "common-files/W1", "common-files/W2", "-o", archive, "-q"], env)
            size = os.path.getsize(archive)
            stripped = archive + ".old.meta.json"
            with open(archive + ".meta.json") as source, open(stripped, "w") as out:
                for line in source:
                    out.write(__import__("re").sub(r',"offset":[0-9]+', "", line))
            url = f"s3://io/common-files/bench/all.{fmt}"
            for local, key in [(archive, url), (archive + ".meta.json", url + ".meta.json")]:
                run(["aws", "s3", "cp", local, key, "--only-show-errors"], env)
            tar_z = ["--zstd"] if fmt == "tar.zst" else []
            for label, member in [("4 KiB file", SMALL), ("40 MiB file", LARGE)]:
                out = os.path.join(args.work, "out")
                cases = [
                    ("cellar extract (local)", [cellar, "extract", archive, member, "--to", out, "--json",
                                                "--overwrite"], True),
                    ("cellar extract, no index (local)", [cellar, "extract", archive, member, "--to", out,
                                                          "--json", "--overwrite", "--sidecar", stripped], True),
                    ("tar -x (local)", ["tar"] + tar_z + ["-xf", archive, "-C", args.work, member], False),
                    ("cellar extract (S3)", [cellar, "extract", url, member, "--to", out, "--json",
                                             "--overwrite"], True),
                    ("aws s3 cp - | tar -x (S3)",
                     f"aws s3 cp {url} - | tar {' '.join(tar_z)} -xf - -C {args.work} {member}", False),
                ]
                for name, command, counts in cases:
                    shutil.rmtree(out, ignore_errors=True)
                    subprocess.run(["sync"])
                    wall, result = run(command, env)
                    # A plain tar file is read by seeking past each member's data: headers only.
                    read = extracted(result) if counts else None if fmt == "tar" and "(local)" in name else size
                    if "no index" in name and fmt == "tar":
                        read = None
                    rows.append((fmt, size, label, name, wall, read))
                    print(f"{fmt} {label} {name}: {wall:.2f} s, {read} bytes", flush=True)
    finally:
        sandbox.stop()
    with open(args.output, "w") as out:
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out.write("# One file out of a multi-GiB archive (issue 18)\n\n")
        out.write(f"{now} · {os.cpu_count()} cores ({platform.processor() or platform.machine()}) · "
                  f"binaries from {args.bin} · one run each · `python3 Benchmarks/seek.py`\n\n")
        out.write("| archive | size | what | how | wall | bytes read | of the archive |\n")
        out.write("| --- | ---: | --- | --- | ---: | ---: | ---: |\n")
        for fmt, size, label, name, wall, read in rows:
            bytes_read, share = ("headers (seeks)", "—") if read is None else (f"{read:,}", f"{read * 100 / size:.3f}%")
            out.write(f"| {fmt} | {size / (1 << 30):.2f} GiB | {label} | {name} | {wall:.2f} s | "
                      f"{bytes_read} | {share} |\n")
        out.write("\nBytes read: cellar's own count of what it read from the archive file or fetched from S3 "
                  "(S3 windows grow from 64 KiB to 8 MiB, so up to one window past what is needed); the whole "
                  "archive for a tool that decompresses it or downloads it; a plain tar file on disk is "
                  "read by seeking past each member's data.\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
