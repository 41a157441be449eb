#!/usr/bin/env python3
"""Appends history events straight to a stopped oversightd's event log, fast, as a valid hash chain.

The documented direct path of the benchmarks for making the log large (1,000,000 or 10,000,000 events) in
seconds rather than through the daemon. It writes what `oversight-load fill` would send, as the daemon stores
it: topic lives in the history years 2000–2023 (a `TopicPlanned`, 40 `TopicActivityRecorded`, 4 `ItemAdded`
led by registered departments, 4 `ItemAnswered`: 49 events per topic), each row chained to the one before it
exactly as `HashChain` in `Sources/OversightStore/HashChain.swift` says, with the data keys sorted and no white
space, like the domain's encoders. It writes no projection rows: the daemon's next start finds its read models
behind the head and catches them up from the log, and `Log.Verify` must then find the chain intact.

The daemon must be stopped (the state directory's lock is checked); the log must have been created and migrated
by oversightd, and the departments d01… registered (`oversight-load seed`).
"""
import argparse
import fcntl
import hashlib
import json
import os
import sqlite3
import struct
import sys
import time

HISTORY_YEARS = range(2000, 2024)
DEPARTMENTS = 20
META = json.dumps({"actor": "bench-fill", "uid": 0}, separators=(",", ":"), sort_keys=True)


def canonical(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def record_id(letter, year, sequence):
    return f"{letter}{year:04d}-{sequence:03d}"


def department(index):
    return f"d{index % DEPARTMENTS + 1:02d}"


def text(value):
    data = value.encode()
    return struct.pack(">q", len(data)) + data


def chain_hash(prev, position, stream, version, kind, data, meta, recorded_at):
    digest = hashlib.sha256(prev)
    digest.update(struct.pack(">q", position) + text(stream) + struct.pack(">q", version) + text(kind)
                  + text(data) + text(meta) + text(recorded_at))
    return digest.digest()


def topic_life(year, topic_sequence, item_sequence, seed):
    """The 49 events of one topic's life: (stream, version, type, payload)."""
    topic = record_id("T", year, topic_sequence)
    stream = "topic-" + topic
    yield stream, 1, "TopicPlanned", {
        "committee": "教科文卫委", "departments": [department(seed), department(seed + 1)], "id": topic,
        "kind": "law-inspection", "title": f"【示例】执法检查 {seed}", "v": 1, "year": year}
    for activity in range(40):
        index = seed + activity
        day = f"{year}-{3 + index % 6:02d}-{1 + index % 28:02d}"
        yield stream, 2 + activity, "TopicActivityRecorded", {
            "date": day, "kind": "field-visit", "peopleMet": index % 40, "places": [f"【示例】第{index % 9 + 1}县"],
            "units": [], "v": 1}
    items = []
    for offset in range(4):
        item = record_id("I", year, item_sequence + offset)
        items.append(item)
        yield "item-" + item, 1, "ItemAdded", {
            "aspect": f"【示例】方面{(seed + offset) % 5 + 1}", "coDepartments": [], "createdOn": f"{year}-03-01",
            "dueDate": f"{year}-12-31", "id": item, "kind": "problem", "lead": department(seed + offset),
            "parent": topic, "text": f"【示例】问题 {seed + offset}", "v": 1}
    for offset, item in enumerate(items):
        yield "item-" + item, 2, "ItemAnswered", {
            "claimed": "resolved", "date": f"{year}-09-01", "department": department(seed + offset),
            "text": "【示例】已整改", "v": 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--events", type=int, required=True, help="grow the log to at least this many events")
    args = parser.parse_args()
    lock = open(os.path.join(args.state_dir, "oversightd.lock"), "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit("fill_log: oversightd is running on this state directory; stop it first")
    db = sqlite3.connect(os.path.join(args.state_dir, "oversight.sqlite"), isolation_level=None)
    db.execute("PRAGMA synchronous = FULL")
    row = db.execute("SELECT position, hash FROM event ORDER BY position DESC LIMIT 1").fetchone()
    position, prev = (row[0], row[1]) if row else (0, bytes(32))
    if db.execute("SELECT COUNT(*) FROM department").fetchone()[0] < DEPARTMENTS:
        sys.exit("fill_log: the departments d01… are not registered; run `oversight-load seed` first")
    next_sequence = {}
    for letter, table in (("T", "topic"), ("I", "item")):
        for year in HISTORY_YEARS:
            # Sequences already used in the log (by an earlier fill), so ids stay unique.
            last = db.execute(f"SELECT MAX(sequence) FROM {table} WHERE year = ?", (year,)).fetchone()[0] or 0
            streams = db.execute("SELECT COUNT(DISTINCT stream) FROM event WHERE stream GLOB ?",
                                 (f"{'topic' if letter == 'T' else 'item'}-{letter}{year}-*",)).fetchone()[0]
            next_sequence[(letter, year)] = max(last, streams) + 1
    start = time.perf_counter()
    written = 0
    base = 1_700_000_000_000
    insert = ("INSERT INTO event (position, stream, version, type, data, meta, recorded_at, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    life = 0
    rows = []
    while position < args.events:
        year = HISTORY_YEARS[life % len(HISTORY_YEARS)]
        topic_sequence = next_sequence[("T", year)]
        item_sequence = next_sequence[("I", year)]
        next_sequence[("T", year)] += 1
        next_sequence[("I", year)] += 4
        for stream, version, kind, payload in topic_life(year, topic_sequence, item_sequence, life):
            position += 1
            data = canonical(payload)
            milliseconds = base + position
            recorded_at = (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(milliseconds // 1000))
                           + f".{milliseconds % 1000:03d}Z")
            digest = chain_hash(prev, position, stream, version, kind, data, META, recorded_at)
            rows.append((position, stream, version, kind, data, META, recorded_at, prev, digest))
            prev = digest
        life += 1
        if len(rows) >= 20_000 or position >= args.events:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(insert, rows)
            db.execute("COMMIT")
            written += len(rows)
            rows = []
    db.close()
    elapsed = time.perf_counter() - start
    print(json.dumps({"events": written, "head": position, "seconds": elapsed,
                      "eventsPerSecond": written / elapsed if elapsed else 0}))


if __name__ == "__main__":
    main()
