#!/usr/bin/env python3
"""`make bench-shards`: what one shard of a backup split with `--shard K/N` moves (issue 20).

Seeds the sandbox with a tree of many folders (W3: 400 folders of 25 files of 16 KiB, and 16
folders each holding one 32 MiB file), then times, as tar.zst to local files:

  whole            one backup of the tree, unsharded
  listing          the same with --dry-run: the walk alone, which every shard repeats
  shard K/4        each of the 4 shards on its own, one after the other
  4 in parallel    the 4 shards at once, as an Indexed Job runs them (on this machine's cores)

and reports each run's wall time, bytes and files, and the rate of one shard. Median of --runs
runs. Writes Benchmarks/shard-results.md. A measurement, not a test.
"""
import argparse
import datetime
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
from run import Sandbox  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARDS = 4


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"), help="folder of the binaries")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "cellar-bench-shards"))
    parser.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "shard-results.md"))
    return parser.parse_args()


def seed():
    nodes = []
    for folder in range(400):
        for index in range(25):
            nodes.append({"path": f"pydiods1/W3/d{folder:03}/f{index:02}.bin", "size": 16 << 10})
    for folder in range(16):
        nodes.append({"path": f"pydiods1/W3/big{folder:02}/blob.bin", "size": 32 << 20})
    return {"nodes": nodes}


def backup(cellar, env, work, name, extra):
    """One backup into WORK/NAME; returns (wall seconds, file bytes, files) from its summary."""
    output = os.path.join(work, name + ".tar.zst")
    command = [cellar, "backup", "common-files/W3", "-o", output, "--json"] + extra
    start = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: {result.stderr}")
    summary = [json.loads(line) for line in result.stdout.splitlines() if '"event":"summary"' in line][-1]
    for path in [output, output + ".meta.json"]:
        if os.path.exists(path):
            os.remove(path)
    return wall, summary.get("bytes", 0), summary.get("files", 0)


def parallel(cellar, env, work, run):
    """The 4 shards at once; returns the wall time until the last one ends."""
    start = time.monotonic()
    processes = [
        subprocess.Popen(
            [cellar, "backup", "common-files/W3", "-o", os.path.join(work, f"par-{run}.tar.zst"), "-q",
             "--shard", f"{index}/{SHARDS}"], env=env)
        for index in range(SHARDS)
    ]
    if any(process.wait() != 0 for process in processes):
        raise SystemExit("a parallel shard failed")
    wall = time.monotonic() - start
    for name in os.listdir(work):
        if name.startswith(f"par-{run}"):
            os.remove(os.path.join(work, name))
    return wall


def main():
    args = parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    cellar = os.path.join(args.bin, "cellar")
    seed_path = os.path.join(args.work, "seed.json")
    with open(seed_path, "w") as out:
        json.dump(seed(), out)
    print("seeding the sandbox…", flush=True)
    sandbox = Sandbox(os.path.join(args.bin, "cells-sandbox"), args.work, 0, seed_path)
    env = dict(os.environ, CELLS_URL=sandbox.url, CELLS_TOKEN=sandbox.token)
    rows = {}
    try:
        for run in range(args.runs):
            variants = [("whole", []), ("listing", ["--dry-run"])]
            variants += [(f"shard {index}/{SHARDS}", ["--shard", f"{index}/{SHARDS}"]) for index in range(SHARDS)]
            for name, extra in variants:
                wall, size, files = backup(cellar, env, args.work, f"{name.replace('/', '-').replace(' ', '-')}-{run}", extra)
                rows.setdefault(name, []).append((wall, size, files))
                print(f"run {run + 1} {name:14} {wall:6.2f} s {size / 1e6:8.1f} MB {files:6} files", flush=True)
            wall = parallel(cellar, env, args.work, run)
            rows.setdefault(f"{SHARDS} in parallel", []).append((wall, 0, 0))
            print(f"run {run + 1} {SHARDS} in parallel {wall:6.2f} s", flush=True)
    finally:
        sandbox.stop()
    write(args, rows)


def write(args, rows):
    lines = [
        "# Shards: what one shard of a backup moves",
        "",
        f"`make bench-shards` on {datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, release build;",
        "W3 = 400 folders of 25 files of 16 KiB (10,000 files, 164 MB) and 16 folders of one 32 MiB file",
        f"(537 MB), backed up to tar.zst from the sandbox on the same machine; median of {args.runs} runs.",
        "",
        "| Run | Wall time | File bytes | Files | Rate |",
        "|---|---|---|---|---|",
    ]
    for name, samples in rows.items():
        wall = statistics.median(sample[0] for sample in samples)
        size, files = samples[0][1], samples[0][2]
        if name == "listing" or not size:
            # A dry run moves no bytes (its counts are what a backup would take); the parallel
            # shards' bytes are the whole tree's.
            lines.append(f"| {name} | {wall:.2f} s | | | |")
            continue
        rate = f"{size / wall / 1e6:.0f} MB/s, {files / wall:.0f} files/s"
        lines.append(f"| {name} | {wall:.2f} s | {size / 1e6:.0f} MB | {files} | {rate} |")
    shard_walls = [statistics.median(s[0] for s in rows[f"shard {i}/{SHARDS}"]) for i in range(SHARDS)]
    whole = statistics.median(s[0] for s in rows["whole"])
    lines += [
        "",
        f"The {SHARDS} shards one after the other take {sum(shard_walls):.2f} s against {whole:.2f} s for the whole:",
        f"each repeats the walk ({statistics.median(s[0] for s in rows['listing']):.2f} s here, `listing`).",
        f"The {SHARDS} in parallel share this machine's {os.cpu_count()} cores with the sandbox: they show the cost",
        "of running shards side by side on one machine, not the gain of spreading them over several.",
        "",
    ]
    with open(args.output, "w") as out:
        out.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
