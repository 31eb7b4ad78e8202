#!/usr/bin/env python3
"""`make bench-encrypt`: what age encryption and an S3 destination cost a backup (issue 19).

Backs up W1 (10,000 files of 4 KiB) and W2 (4 files of 256 MiB) from the sandbox as tar.zst,
alternating runs of each variant so that drifts of the machine fall on all of them:

  plain            to a local file
  encrypted        to a local file, --encrypt-to an age recipient
  s3               to s3://io/… (the sandbox's own S3 gateway as the destination bucket)
  s3 + encrypted   both

and, as a floor for the S3 rows, `aws s3 cp` of the finished W2 archive to the same gateway.
Reports the median wall time of --runs runs and the cost against `plain`, and checks once that
`age -d` of an encrypted archive gives the plain archive the sidecar records. Writes
Benchmarks/encrypt-results.md. A measurement, not a test.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import SECRET, Sandbox  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"), help="folder of the binaries")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--w2-mib", type=int, default=256, help="size of each of the 4 W2 files")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "cellar-bench-encrypt"))
    parser.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "encrypt-results.md"))
    return parser.parse_args()


def seed(w2_mib):
    nodes = []
    for folder in range(100):
        for index in range(100):
            nodes.append({"path": f"pydiods1/W1/d{folder:03}/f{index:04}.bin", "size": 4096})
    for index in range(4):
        nodes.append({"path": f"pydiods1/W2/big-{index}.bin", "size": w2_mib << 20})
    nodes.append({"path": "pydiods1/out", "type": "folder"})
    return {"nodes": nodes}


def main():
    args = parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    cellar = os.path.join(args.bin, "cellar")
    seed_path = os.path.join(args.work, "seed.json")
    with open(seed_path, "w") as out:
        json.dump(seed(args.w2_mib), out)
    print("seeding the sandbox…", flush=True)
    sandbox = Sandbox(os.path.join(args.bin, "cells-sandbox"), args.work, 0, seed_path)
    try:
        rows = measure(args, sandbox, cellar)
    finally:
        sandbox.stop()
    write(args, rows)


def measure(args, sandbox, cellar):
    identity = os.path.join(args.work, "key")
    subprocess.run(["age-keygen", "-o", identity], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", identity], check=True, capture_output=True, text=True).stdout.strip()
    env = dict(os.environ)
    env.update({
        "CELLS_URL": sandbox.url, "CELLS_TOKEN": sandbox.token, "AWS_ACCESS_KEY_ID": sandbox.token,
        "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_ENDPOINT_URL": sandbox.url, "AWS_REGION": "us-east-1",
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(args.work, "none"), "AWS_CONFIG_FILE": os.path.join(args.work, "none"),
    })
    variants = {
        "plain": ([], False), "encrypted": (["--encrypt-to", recipient], False),
        "s3": ([], True), "s3 + encrypted": (["--encrypt-to", recipient], True),
    }
    rows = []
    for workload in ["W1", "W2"]:
        times = {name: [] for name in variants}
        for run in range(args.runs):
            for name, (extra, remote) in variants.items():
                stem = f"{workload}-{name.replace(' + ', '-')}-{run}.tar.zst"
                output = f"s3://io/common-files/out/{stem}" if remote else os.path.join(args.work, stem)
                command = [cellar, "backup", f"common-files/{workload}", "-o", output, "-q"] + extra
                start = time.monotonic()
                result = subprocess.run(command, env=env, capture_output=True, text=True)
                wall = time.monotonic() - start
                if result.returncode != 0:
                    raise SystemExit(f"{' '.join(command)}: {result.stderr}")
                times[name].append(wall)
                print(f"{workload} {name:15} run {run + 1}: {wall:6.2f} s", flush=True)
                if not remote:
                    check_or_remove(output, extra, identity, keep=run == 0)
                else:
                    sandbox.delete("pydiods1/out/" + stem + (".age" if extra else ""))
                    sandbox.delete("pydiods1/out/" + stem + (".age" if extra else "") + ".meta.json")
        base = statistics.median(times["plain"])
        for name in variants:
            median = statistics.median(times[name])
            rows.append((workload, name, median, (median / base - 1) * 100))
        if workload == "W2":
            floor = upload_floor(args, env, cellar, sandbox)
            rows.append((workload, "floor: aws s3 cp of the finished archive", floor, (floor / base - 1) * 100))
    return rows


def upload_floor(args, env, cellar, sandbox):
    """The time `aws s3 cp` takes to upload the finished W2 archive to the gateway (median)."""
    archive = os.path.join(args.work, "floor.tar.zst")
    subprocess.run([cellar, "backup", "common-files/W2", "-o", archive, "-q"], env=env, check=True)
    times = []
    for run in range(args.runs):
        start = time.monotonic()
        subprocess.run(
            ["aws", "s3", "cp", archive, f"s3://io/common-files/out/floor-{run}.tar.zst", "--only-show-errors"],
            env=env, check=True)
        times.append(time.monotonic() - start)
        sandbox.delete(f"pydiods1/out/floor-{run}.tar.zst")
    check_or_remove(archive, [], None, keep=False)
    return statistics.median(times)


def check_or_remove(output, extra, identity, keep):
    """The first encrypted archive: `age -d` gives what the sidecar records. Then removed."""
    if extra and keep:
        archive = output + ".age"
        plain = subprocess.run(["age", "-d", "-i", identity, archive], check=True, capture_output=True).stdout
        sidecar = subprocess.run(
            ["age", "-d", "-i", identity, archive + ".meta.json"], check=True, capture_output=True).stdout
        record = json.loads("{" + sidecar.decode().strip().split("\n")[-1])["archive"]
        if hashlib.sha256(plain).hexdigest() != record["sha256"]:
            raise SystemExit(f"{archive}: age -d does not give the archive its sidecar records")
    for path in [output, output + ".meta.json", output + ".age", output + ".age.meta.json"]:
        if os.path.exists(path):
            os.remove(path)


def write(args, rows):
    lines = [
        "# Encryption and S3 output: what they cost a backup",
        "",
        f"`make bench-encrypt` on {datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, release build;",
        f"W1 = 10,000 files of 4 KiB, W2 = 4 files of {args.w2_mib} MiB (random, incompressible), backed up",
        f"to tar.zst from the sandbox (no added latency); median of {args.runs} runs, variants alternated.",
        "`s3` writes to the sandbox's own S3 gateway as the destination bucket, on the same machine.",
        "",
        "| Workload | Variant | Wall time | Against plain |",
        "|---|---|---|---|",
    ]
    for workload, name, median, cost in rows:
        against = "" if name == "plain" else f"{cost:+.1f}%"
        name = name if not name.startswith("floor") else f"*{name}*"
        lines.append(f"| {workload} | {name} | {median:.2f} s | {against} |")
    lines.append("")
    with open(args.output, "w") as out:
        out.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
