#!/usr/bin/env python3
"""The raw SQLite append floor: event rows of Oversight's shape, WAL, synchronous=FULL, no daemon.

Appends rows shaped like the `event` table (position, stream, version, type, data, meta, recorded_at, prev_hash,
hash, UNIQUE(stream, version)) to `--streams` random streams, `--batch` rows per transaction, for `--seconds`, and
prints one JSON object: rows/s. No hashing, no projections, no JSON work: what SQLite itself costs.
"""
import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time

SCHEMA = """
CREATE TABLE event (
    position INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    meta TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL,
    UNIQUE (stream, version)
);
"""

DATA = json.dumps({"date": "2025-05-10", "kind": "field-visit", "peopleMet": 12, "places": ["【示例】第3县"], "v": 1},
                  ensure_ascii=False, separators=(",", ":"), sort_keys=True)
META = json.dumps({"actor": "root", "clientPid": 12345, "commandId": "0f8e2c1a-9b7d-4e55-a1c3-5d2f6b7e8a90",
                   "uid": 0}, separators=(",", ":"), sort_keys=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=1, help="rows per transaction")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--streams", type=int, default=10_000)
    parser.add_argument("--dir", default=None, help="directory of the temporary database")
    args = parser.parse_args()
    if args.batch < 1 or args.seconds <= 0 or args.streams < 1:
        sys.exit("sqlite_floor: --batch and --streams must be 1 or more, --seconds more than 0")

    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        path = os.path.join(directory, "floor.sqlite")
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.executescript(SCHEMA)
        synchronous = db.execute("PRAGMA synchronous").fetchone()[0]
        versions = {}
        streams = [f"topic-T2025-{n:03d}" for n in range(1, args.streams + 1)]
        rng = random.Random(7)
        position = 0
        prev = bytes(32)
        insert = ("INSERT INTO event (position, stream, version, type, data, meta, recorded_at, prev_hash, hash) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        start = time.perf_counter()
        end = start + args.seconds
        while time.perf_counter() < end:
            rows = []
            for _ in range(args.batch):
                stream = rng.choice(streams)
                version = versions.get(stream, 0) + 1
                versions[stream] = version
                position += 1
                digest = rng.randbytes(32)
                rows.append((position, stream, version, "TopicActivityRecorded", DATA, META,
                             "2025-05-10T02:30:00.123Z", prev, digest))
                prev = digest
            db.execute("BEGIN IMMEDIATE")
            db.executemany(insert, rows)
            db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
    print(json.dumps({"batch": args.batch, "rows": position, "seconds": elapsed, "rowsPerSecond": position / elapsed,
                      "synchronous": synchronous, "sqlite": sqlite3.sqlite_version}))


if __name__ == "__main__":
    main()
