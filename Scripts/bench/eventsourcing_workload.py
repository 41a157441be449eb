#!/usr/bin/env python3
"""The benchmarks' domain workload on the Python `eventsourcing` library (9.5.6) with its SQLite persistence.

The same commands `oversight-load write` sends, in one process, one after another: plan a topic, record 19
activities on it, plan the next; each command loads the aggregate from the store (except the plan), applies
one event and saves it. Prints one JSON object: commands/s and latency percentiles (ms).
"""
import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

ACTIVITIES_PER_TOPIC = 19


class Topic(Aggregate):
    """A supervision topic: planned, then activities recorded on it (the board row's fields)."""

    @event("Planned")
    def __init__(self, year, kind, title, committee, departments):
        self.year = year
        self.kind = kind
        self.title = title
        self.committee = committee
        self.departments = departments
        self.status = "planned"
        self.activities = 0

    @event("ActivityRecorded")
    def record_activity(self, kind, date, places, people_met):
        self.activities += 1
        if self.status == "planned":
            self.status = "under-way"


class Topics(Application):
    def plan(self, index):
        topic = Topic(2025, "law-inspection", f"【示例】执法检查 {index}", "教科文卫委", [f"d{index % 20 + 1:02d}"])
        self.save(topic)
        return topic.id

    def record_activity(self, topic_id, index):
        topic = self.repository.get(topic_id)
        topic.record_activity("field-visit", f"2025-0{3 + index % 6}-{1 + index % 28:02d}",
                              [f"【示例】第{index % 9 + 1}县"], index % 40)
        self.save(topic)


def percentile(sorted_samples, fraction):
    index = min(len(sorted_samples) - 1, max(0, int(-(-len(sorted_samples) * fraction // 1)) - 1))
    return sorted_samples[index] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--dir", default=None, help="directory of the temporary database")
    args = parser.parse_args()
    if args.seconds <= 0:
        sys.exit("eventsourcing_workload: --seconds must be more than 0")
    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        path = os.path.join(directory, "es.sqlite")
        app = Topics(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path})
        samples = []
        topic_id = None
        activities = 0
        issued = 0
        start = time.perf_counter()
        end = start + args.seconds
        while True:
            sent = time.perf_counter()
            if sent >= end:
                break
            issued += 1
            if topic_id is not None and activities < ACTIVITIES_PER_TOPIC:
                app.record_activity(topic_id, issued)
                activities += 1
            else:
                topic_id = app.plan(issued)
                activities = 0
            samples.append(time.perf_counter() - sent)
        elapsed = time.perf_counter() - start
        probe = sqlite3.connect(path)
        journal = probe.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = probe.execute("PRAGMA synchronous").fetchone()[0]
        probe.close()
        app.close()
    samples.sort()
    print(json.dumps({
        "commands": len(samples), "seconds": elapsed, "commandsPerSecond": len(samples) / elapsed,
        "latency": {"count": len(samples), "p50Ms": percentile(samples, 0.5), "p90Ms": percentile(samples, 0.9),
                    "p99Ms": percentile(samples, 0.99), "maxMs": samples[-1] * 1000},
        "journalMode": journal, "synchronous": synchronous,
    }))


if __name__ == "__main__":
    main()
