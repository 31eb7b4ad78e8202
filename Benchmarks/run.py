#!/usr/bin/env python3
"""`make bench`: cellar against what a user would do instead, on the same sandbox, side by side.

Starts `cells-sandbox` with a per-request latency, seeds the workloads of issue 9, and runs each
tool several times in alternation (so that drift on the machine hits every tool alike). Prints and
writes to Benchmarks/results.md the median wall time, the cellar/peer ratio and the peak RSS of every
run (GNU time's %M). A measurement, not a test: nothing here asserts anything.

  W1  10,000 files of 4 KiB in 100 folders
  W2  4 files of 256 MiB
  W3  200,000 empty files in a deep tree (memory and listing)

Peers: rclone copy (defaults, then --transfers 32 --checkers 32) and aws s3 cp --recursive, each
followed by tar. Two floors: a plain parallel download of the same bytes with curl, and for W2 the
same download with SHA-256 and MD5 computed on the bytes as they arrive (`curl | tee FILE FIFO |
md5sum`, `sha256sum < FIFO`), which is the work cellar does besides writing the tar.

The Swift measurements beside this script (CellsSandboxBenchmark: small GETs per second served;
TreeWalkBenchmark: listing throughput) are run by hand: `swift run -c release NAME`.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "gatewaysecret"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"), help="folder of the release binaries")
    parser.add_argument("--latency-ms", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--w3-runs", type=int, default=1, help="runs of W3 (200,000 nodes: minutes each)")
    parser.add_argument("--workloads", default="W1,W2,W3")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "cellar-bench"))
    parser.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "results.md"))
    parser.add_argument("--quick", action="store_true", help="smaller workloads, to try the harness")
    return parser.parse_args()


def seed(quick):
    """The seed file of all workloads, under pydiods1 (common-files in user context)."""
    nodes = []
    files_w1, size_w2, count_w3 = (1000, 16 << 20, 20000) if quick else (10000, 256 << 20, 200000)
    for folder in range(100):
        nodes.append({"path": f"pydiods1/W1/d{folder:03}", "type": "folder"})
        for index in range(files_w1 // 100):
            nodes.append({"path": f"pydiods1/W1/d{folder:03}/f{index:04}.bin", "size": 4096})
    for index in range(4):
        nodes.append({"path": f"pydiods1/W2/big-{index}.bin", "size": size_w2})
    # A deep tree: 10 levels of fan-out, files in every leaf folder.
    per_leaf = count_w3 // 1000
    for a in range(10):
        for b in range(10):
            for c in range(10):
                folder = f"pydiods1/W3/a{a}/b{b}/c{c}/deep/deeper"
                nodes.append({"path": folder, "type": "folder"})
                for index in range(per_leaf):
                    nodes.append({"path": f"{folder}/e{index:04}", "content": ""})
    return {"nodes": nodes}


class Sandbox:
    def __init__(self, binary, work, latency, seed_path):
        self.log = open(os.path.join(work, "sandbox.log"), "w+")
        self.process = subprocess.Popen(
            [binary, "--seed", seed_path, "--port", "0", "--data", os.path.join(work, "state"),
             "--latency-ms", str(latency)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 1800
        while time.time() < deadline:
            self.log.seek(0)
            text = self.log.read()
            url = re.search(r"listening on (http://\S+)", text)
            token = re.search(r"admin \(admin\): password admin, token ([0-9a-f]+)", text)
            if url and token:
                self.url, self.token = url.group(1), token.group(1)
                return
            if self.process.poll() is not None:
                raise SystemExit("cells-sandbox exited:\n" + text)
            time.sleep(1)
        raise SystemExit("cells-sandbox did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait()

    def delete(self, path):
        body = json.dumps({"Nodes": [{"Path": path}], "RemovePermanently": True}).encode()
        request = urllib.request.Request(
            self.url + "/a/tree/delete", data=body, method="POST",
            headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request).read()
        except Exception:
            pass


# Clearing the previous run's output is not part of any tool's job: run, not timed.
UNTIMED = {"rm", "mkdir"}


def timed(steps, env, cwd):
    """Runs the commands in order; returns (wall seconds, peak RSS MiB) or raises."""
    wall, peak, flushed = 0.0, 0.0, False
    for command in steps:
        if command[0] in UNTIMED:
            subprocess.run(command, env=env, cwd=cwd, check=True)
            continue
        if not flushed:
            # What earlier runs wrote reaches the disk now, not during this run's time.
            subprocess.run(["sync"], check=True)
            flushed = True
        with tempfile.NamedTemporaryFile("r") as stats:
            start = time.monotonic()
            result = subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", stats.name] + command, env=env, cwd=cwd,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall += time.monotonic() - start
            if result.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-600:]}")
            peak = max(peak, int(stats.read().strip().splitlines()[-1]) / 1024)
    return wall, peak


def main():
    args = parse_args()
    binaries = os.path.abspath(args.bin)  # the runs change directory: a relative --bin would not be found
    cellar, sandbox_binary = os.path.join(binaries, "cellar"), os.path.join(binaries, "cells-sandbox")
    for tool in ["rclone", "aws", "curl", "tar", "zstd", "sha256sum", "md5sum"]:
        if shutil.which(tool) is None:
            raise SystemExit(f"bench needs {tool} (make bench installs it)")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    seed_path = os.path.join(args.work, "seed.json")
    with open(seed_path, "w") as out:
        json.dump(seed(args.quick), out)
    print(f"seeding the sandbox (latency {args.latency_ms} ms)…", flush=True)
    sandbox = Sandbox(sandbox_binary, args.work, args.latency_ms, seed_path)
    try:
        rows = run_workloads(args, sandbox, cellar)
    finally:
        sandbox.stop()
    write_results(args, rows)


def environment(sandbox, work):
    env = dict(os.environ)
    # A CA bundle set for the machine's own proxies breaks rclone's S3 client on plain http.
    env.pop("AWS_CA_BUNDLE", None)
    aws_config = os.path.join(work, "aws-config")
    with open(aws_config, "w") as out:
        out.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
    env.update({
        "CELLS_URL": sandbox.url, "CELLS_TOKEN": sandbox.token,
        "RCLONE_CONFIG_CELLS_TYPE": "s3", "RCLONE_CONFIG_CELLS_PROVIDER": "Other",
        "RCLONE_CONFIG_CELLS_ACCESS_KEY_ID": sandbox.token, "RCLONE_CONFIG_CELLS_SECRET_ACCESS_KEY": SECRET,
        "RCLONE_CONFIG_CELLS_ENDPOINT": sandbox.url, "RCLONE_CONFIG_CELLS_REGION": "us-east-1",
        "RCLONE_CONFIG_CELLS_FORCE_PATH_STYLE": "true",
        "AWS_ACCESS_KEY_ID": sandbox.token, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_CONFIG_FILE": aws_config,
    })
    return env


def curl_floor_config(sandbox, workload, sidecar, target):
    """A curl config that downloads every file of the workload in parallel (the physical floor)."""
    with open(sidecar) as source:
        paths = [node["path"] for node in json.load(source)["nodes"] if node["type"] == "LEAF"]
    config = os.path.join(os.path.dirname(target), f"curl-{workload}.conf")
    with open(config, "w") as out:
        for index, path in enumerate(paths):
            quoted = urllib.request.quote(path)
            out.write(f'url = "{sandbox.url}/io/{quoted}"\noutput = "{target}/{index}"\n')
    return config


def same_checks_floor(sandbox, workload, sidecar, target):
    """A shell script that downloads every file in parallel and hashes its bytes (SHA-256 and MD5)
    on the way to the disk, as cellar does; each file's digests land beside it."""
    with open(sidecar) as source:
        paths = [node["path"] for node in json.load(source)["nodes"] if node["type"] == "LEAF"]
    lines = ["set -euo pipefail", "pids=()"]
    for index, path in enumerate(paths):
        url = f"{sandbox.url}/io/{urllib.request.quote(path)}"
        out = f"{target}/{index}"
        lines += [
            f"mkfifo '{out}.fifo'",
            f"sha256sum < '{out}.fifo' > '{out}.sha256' & pids+=($!)",
            f"curl -sf -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --aws-sigv4 aws:amz:us-east-1:s3 "
            f"--user '{sandbox.token}:{SECRET}' '{url}' | tee '{out}' '{out}.fifo' | md5sum > '{out}.md5' & pids+=($!)",
        ]
    # Each wait fails the script (set -e) when its download or hash did (pipefail).
    lines.append('for pid in "${pids[@]}"; do wait "$pid"; done')
    script = os.path.join(os.path.dirname(target), f"same-checks-{workload}.sh")
    with open(script, "w") as out:
        out.write("\n".join(lines) + "\n")
    return script


def count_files(folder):
    """Files downloaded, not counting Cells' `.pydio` folder markers (S3 listings show them)."""
    return sum(len([name for name in files if name != ".pydio"]) for _, _, files in os.walk(folder))


def run_workloads(args, sandbox, cellar):
    env = environment(sandbox, args.work)
    rows = []
    expected_files = {"W1": 1000 if args.quick else 10000, "W2": 4}
    rclone_tuned = ["--transfers", "32", "--checkers", "32"]
    for workload in args.workloads.split(","):
        source = f"common-files/{workload}"
        work = os.path.join(args.work, workload)
        os.makedirs(work)
        # Plain tar is cellar against the floor (curl, below): no compression, the same bytes.
        plain = os.path.join(work, "backup.tar")
        tools_backup = {"tar": {} if workload == "W3" else {
            "cellar backup tar": [["rm", "-f", plain, plain + ".meta.json"], [cellar, "backup", source, "-o", plain, "-q"]]}}
        for ext, tar_flag in [("tar.gz", "-z"), ("tar.zst", "--zstd")]:
            out = os.path.join(work, f"backup.{ext}")
            down = os.path.join(work, "download")
            tar_step = ["tar", tar_flag, "-cf", os.path.join(work, f"peer.{ext}"), "-C", down, "."]
            tools = {
                f"cellar backup {ext}": [["rm", "-rf", out, out + ".meta.json"], [cellar, "backup", source, "-o", out, "-q"]],
            }
            if workload != "W3":
                tools.update({
                    f"rclone copy + tar ({ext})": [["rm", "-rf", down], ["rclone", "copy", f"cells:io/{source}", down], tar_step],
                    f"rclone tuned + tar ({ext})": [["rm", "-rf", down], ["rclone", "copy", *rclone_tuned, f"cells:io/{source}", down], tar_step],
                })
                if ext == "tar.gz":  # the slowest peer: once is enough
                    tools[f"aws s3 cp + tar ({ext})"] = [
                        ["rm", "-rf", down],
                        ["aws", "--endpoint-url", sandbox.url, "s3", "cp", "--recursive", "--quiet", f"s3://io/{source}", down],
                        tar_step]
            tools_backup[ext] = tools
        # A peer that downloads fewer files than there are (the gateway cuts listings at max-keys
        # without saying so) is flagged, not ranked.
        down = os.path.join(work, "download")
        check = lambda name: (None if name.startswith("cellar") or workload not in expected_files
                              or count_files(down) == expected_files[workload]
                              else f"incomplete: {count_files(down)} of {expected_files[workload]} files")
        rows += measure(args, env, work, workload, "backup",
                        {k: v for t in tools_backup.values() for k, v in t.items()}, check=check)

        # The floor: the same bytes, downloaded in parallel by curl to the same disk.
        sidecar = os.path.join(work, "backup.tar.gz.meta.json")
        if workload != "W3" and os.path.exists(sidecar):
            floor_dir = os.path.join(work, "floor")
            config = curl_floor_config(sandbox, workload, sidecar, floor_dir)
            curl = ["curl", "-sf", "--parallel", "--parallel-max", "16", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                    "--aws-sigv4", "aws:amz:us-east-1:s3",
                    "--user", f"{sandbox.token}:{SECRET}", "-K", config]
            rows += measure(args, env, work, workload, "backup",
                            {"curl parallel download (floor)": [["rm", "-rf", floor_dir], ["mkdir", "-p", floor_dir], curl]})
            if workload == "W2":
                script = same_checks_floor(sandbox, workload, sidecar, floor_dir)
                rows += measure(args, env, work, workload, "backup", {
                    "curl + sha256sum + md5sum (same-checks floor)":
                        [["rm", "-rf", floor_dir], ["mkdir", "-p", floor_dir], ["bash", script]]})

        if workload == "W2":
            rows += measure_bwlimit(args, env, work, source, cellar, plain)

        archive = os.path.join(work, "backup.tar.gz")
        extracted = os.path.join(work, "extracted")
        counter = {"n": 0}

        def target(name):
            counter["n"] += 1
            return f"common-files/restored-{workload}-{name}-{counter['n']}"

        restore_tools = {
            "cellar restore": lambda: [[cellar, "restore", archive, "--to", target("cellar"), "-q"]],
        }
        if workload != "W3":
            restore_tools.update({
                "tar x + rclone copy": lambda: [
                    ["rm", "-rf", extracted], ["mkdir", "-p", extracted], ["tar", "-xzf", archive, "-C", extracted],
                    ["rclone", "copy", extracted, f"cells:io/{target('rclone')}"]],
                "tar x + rclone tuned": lambda: [
                    ["rm", "-rf", extracted], ["mkdir", "-p", extracted], ["tar", "-xzf", archive, "-C", extracted],
                    ["rclone", "copy", *rclone_tuned, extracted, f"cells:io/{target('tuned')}"]],
            })
        rows += measure(args, env, work, workload, "restore", restore_tools)

        if workload == "W3":
            rows += measure(args, env, work, workload, "inspect", {
                "cellar ls": [[cellar, "ls", archive]],
                "cellar verify": [[cellar, "verify", archive, "-q"]],
            })
    return rows


def measure_bwlimit(args, env, work, source, cellar, plain):
    """`--bwlimit` with one and with 32 transfers: the rate reached against the cap.

    The cap is a tenth of the workload's bytes per second, so that each run lasts about 10 s."""
    with open(plain + ".meta.json") as sidecar:
        total = json.load(sidecar)["summary"]["bytes"]
    cap = max(1 << 20, total // 10)
    out = os.path.join(work, "limited.tar")
    tools = {
        f"cellar backup tar --bwlimit {cap // 1024}K --jobs {jobs}": [
            ["rm", "-f", out, out + ".meta.json"],
            [cellar, "backup", source, "-o", out, "-q", "--bwlimit", f"{cap // 1024}K", "--jobs", str(jobs)]]
        for jobs in (1, 32)
    }
    rows = measure(args, env, work, "W2", "bandwidth", tools)
    for row in rows:
        if row["median"]:
            rate = total / row["median"]
            row["note"] = f"{rate / 2**20:.1f} MiB/s for a cap of {cap / 2**20:.1f} MiB/s ({rate / cap * 100 - 100:+.0f}%)"
    return rows


def measure(args, env, work, workload, job, tools, check=lambda name: None):
    """Runs every tool `args.runs` times, in alternation; returns one row per tool.

    `check(name)` says what is wrong with a run's result (None when it is complete)."""
    samples = {name: [] for name in tools}
    notes = {}
    for run in range(args.w3_runs if workload == "W3" else args.runs):
        for name, steps in tools.items():
            commands = steps() if callable(steps) else steps
            try:
                samples[name].append(timed(commands, env, work))
            except RuntimeError as error:
                print(f"  {workload} {name}: FAILED: {error}", flush=True)
                samples[name].append(None)
            last = samples[name][-1]
            if last and check(name):
                notes[name] = check(name)
            if last:
                print(f"  {workload} {job} {name} run {run + 1}: {last[0]:.2f} s, {last[1]:.0f} MiB", flush=True)
    rows = []
    for name, runs in samples.items():
        good = [sample for sample in runs if sample]
        rows.append({
            "workload": workload, "job": job, "tool": name,
            "median": statistics.median(s[0] for s in good) if good else None,
            "rss": max(s[1] for s in good) if good else None,
            "failed": len(runs) - len(good), "note": notes.get(name),
        })
    return rows


def write_results(args, rows):
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        "# cellar benchmark results", "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores ({cpu}) · "
        f"sandbox latency {args.latency_ms} ms per request · median of {args.runs} runs in alternation "
        f"({args.w3_runs} for W3)"
        + (" · QUICK (reduced workloads)" if args.quick else ""), "",
        "| workload | job | tool | median wall | vs cellar | peak RSS |", "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        reference = reference_row(rows, row)
        ratio = (f"{row['median'] / reference['median']:.2f}×"
                 if reference and reference["median"] and row["median"] and reference is not row else "")
        median = f"{row['median']:.2f} s" if row["median"] is not None else "failed"
        rss = f"{row['rss']:.0f} MiB" if row["rss"] is not None else ""
        failed = f" ({row['failed']} failed)" if row["failed"] else ""
        if row.get("note"):
            failed += f" **{row['note']}**"
        lines.append(f"| {row['workload']} | {row['job']} | {row['tool']}{failed} | {median} | {ratio} | {rss} |")
    lines += ["", "`vs cellar`: the tool's median time over cellar's for the same workload, job and format "
              "(above 1 means cellar is faster)."]
    text = "\n".join(lines) + "\n"
    with open(args.output, "w") as out:
        out.write(text)
    print("\n" + text)


def reference_row(rows, row):
    """The cellar row that `row` is compared with (same workload, job and archive format)."""
    tool = row["tool"]
    fmt = ("tar.zst" if "tar.zst" in tool else "tar.gz" if "tar.gz" in tool
           else "tar" if "floor" in tool or tool.endswith(" tar") else "tar.gz")
    for candidate in rows:
        if candidate["workload"] != row["workload"] or candidate["job"] != row["job"]:
            continue
        if row["job"] == "restore" and candidate["tool"] == "cellar restore":
            return candidate
        if row["job"] == "backup" and candidate["tool"] == f"cellar backup {fmt}":
            return candidate
    return None


if __name__ == "__main__":
    main()
