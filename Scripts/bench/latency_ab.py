#!/usr/bin/env python3
"""Compares the latency and write figures of two or more oversightd builds on the same log, alternating.

    latency_ab.py --work DIR --bins OLD_BIN,NEW_BIN [--reps 3] [--what query,write16,write1,follow]

DIR/template must hold a stopped daemon's state directory (for example the `template` that
`bench.py --idle-only` leaves in its work directory: seeded, grown with fill_log.py, read models behind).
Each repetition, for each build in turn, copies the template to a fresh state directory, starts that build's
oversightd (its read models catch up), and runs its oversight-load: `query --writers 16` for 8 s (p99 and p50,
ms), `write --clients 16` for 5 s (commands/s), `write --clients 1` for 5 s (p50 and p99, ms) and `follow` for
5 s (p99 from sending the command, ms). Prints one line per figure and run, then all of them as JSON.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def load(binaries, *arguments):
    command = [os.path.join(binaries, "oversight-load"), *arguments]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(binaries, socket, figure):
    if figure == "query":
        result = load(binaries, "query", "--socket", socket, "--writers", "16", "--seconds", "8")
        return [result["latency"]["p99Ms"], result["latency"]["p50Ms"]]
    if figure == "write16":
        return load(binaries, "write", "--socket", socket, "--clients", "16", "--seconds", "5")["commandsPerSecond"]
    if figure == "write1":
        result = load(binaries, "write", "--socket", socket, "--clients", "1", "--seconds", "5")
        return [result["latency"]["p50Ms"], result["latency"]["p99Ms"]]
    if figure == "follow":
        return load(binaries, "follow", "--socket", socket, "--seconds", "5")["latency"]["p99Ms"]
    raise SystemExit(f"unknown figure {figure!r}: query, write16, write1 or follow")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="directory holding template/ (a stopped state directory)")
    parser.add_argument("--bins", required=True, help="comma-separated directories of oversightd and oversight-load")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--what", default="query,write16,write1,follow")
    arguments = parser.parse_args()
    template = os.path.join(arguments.work, "template")
    if not os.path.isdir(template):
        raise SystemExit(f"{template} is missing: run bench.py --idle-only with this --work first")
    sides = arguments.bins.split(",")
    figures = arguments.what.split(",")
    results = {side: {figure: [] for figure in figures} for side in sides}
    for repetition in range(arguments.reps):
        for index, side in enumerate(sides):
            directory = os.path.join(arguments.work, f"ab-{index}")
            shutil.rmtree(directory, ignore_errors=True)
            os.makedirs(directory)
            shutil.copytree(template, os.path.join(directory, "state"))
            daemon = bench.Daemon(os.path.join(side, "oversightd"), directory)
            daemon.start()
            try:
                for figure in figures:
                    value = measure(side, daemon.socket, figure)
                    results[side][figure].append(value)
                    print(f"#{repetition + 1} {side} {figure}: {value}", flush=True)
            finally:
                daemon.stop()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
