#!/usr/bin/env python3
"""Runs every benchmark of Oversight on this machine and prints the table of figures, targets and results.

Called by `Scripts/bench/run` after the release build. Every comparison runs both sides in this one run, each
figure several times; the table gives the median and the range (min–max) of the repetitions. Work files go to
`--work` (a fresh directory per run, deleted at the end unless `--keep`).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def log(text):
    print(f"[bench {datetime.datetime.now().strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def varlink_call(path, method, parameters=None, timeout=600):
    """One varlink call on a connection of its own; returns the reply's parameters or raises on an error reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(path)
        connection.sendall(json.dumps({"method": method, "parameters": parameters or {}}).encode() + b"\0")
        buffer = b""
        while b"\0" not in buffer:
            chunk = connection.recv(65536)
            if not chunk:
                raise RuntimeError(f"{method}: connection closed before the reply")
            buffer += chunk
    reply = json.loads(buffer.split(b"\0", 1)[0])
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']} {reply.get('parameters')}")
    return reply.get("parameters", {})


def cpu_seconds(pid):
    """User plus system CPU time of a process so far, in seconds (all its threads)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


# The memory targets are in MB (10^6 bytes); RSS is read in KiB and shown in MiB.
IDLE_MIB = 40e6 / 2**20
LOAD_MIB = 150e6 / 2**20
IDLE_TARGET = f"≤ 40 MB ({IDLE_MIB:.1f} MiB)"
LOAD_TARGET = f"≤ 150 MB ({LOAD_MIB:.1f} MiB)"


class Daemon:
    """A release oversightd on a socket and state directory of the run, started with NOTIFY_SOCKET."""

    def __init__(self, binary, directory):
        self.binary = binary
        self.directory = directory
        self.socket = os.path.join(directory, "d.sock")
        self.state = os.path.join(directory, "state")
        os.makedirs(self.state, exist_ok=True)
        self.process = None

    def start(self):
        """Starts the daemon; returns the seconds from spawning it to its READY=1."""
        notify_path = os.path.join(self.directory, "notify.sock")
        if os.path.exists(notify_path):
            os.unlink(notify_path)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(3600)
        environment = dict(os.environ, NOTIFY_SOCKET=notify_path)
        self.stderr = open(os.path.join(self.directory, "oversightd.log"), "ab")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [self.binary, "--socket", self.socket, "--state-dir", self.state, "--log-level", "notice"],
            env=environment, stdout=self.stderr, stderr=self.stderr)
        try:
            while True:
                message = notify.recv(4096).decode()
                if "READY=1" in message.split("\n"):
                    ready = time.perf_counter() - started
                    break
        finally:
            notify.close()
            os.unlink(notify_path)
        return ready

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=120)
        self.stderr.close()
        if code != 0:
            raise RuntimeError(f"oversightd exited {code}; see {self.directory}/oversightd.log")
        self.process = None

    def rss_mib(self):
        return rss_kib(self.process.pid) / 1024

    def head(self):
        return varlink_call(self.socket, "org.oversight.log.Status")["headPosition"]


class RSSSampler:
    """Samples a process's RSS every `interval` seconds in a thread, until stopped."""

    def __init__(self, pid, interval=0.2):
        self.pid = pid
        self.interval = interval
        self.samples = []
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        start = time.perf_counter()
        while self.running:
            self.samples.append((time.perf_counter() - start, rss_kib(self.pid) / 1024))
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.samples


class Bench:
    def __init__(self, arguments):
        self.arguments = arguments
        self.bin = arguments.bin
        self.quick = arguments.quick
        self.reps = arguments.reps or (3 if self.quick else 5)
        self.seconds = arguments.seconds or (3.0 if self.quick else 10.0)
        arguments.events = arguments.events or (300_000 if self.quick else 1_000_000)
        self.results = {}
        self.rows = []

    def load(self, *arguments):
        """Runs oversight-load; returns its JSON result."""
        command = [os.path.join(self.bin, "oversight-load"), *arguments]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=sys.stderr, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])

    def python(self, interpreter, script, *arguments, dir_argument=True):
        command = [interpreter, os.path.join(HERE, script), *arguments]
        if dir_argument:
            command += ["--dir", self.arguments.work]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])

    def repeat(self, name, function):
        values = []
        for index in range(self.reps):
            values.append(function())
            log(f"{name} #{index + 1}: {values[-1]:.3f}")
        self.results[name] = values
        return values

    def row(self, figure, target, values, unit, passed, digits=1):
        if values:
            median = statistics.median(values)
            measured = f"{median:,.{digits}f} {unit} [{min(values):,.{digits}f}–{max(values):,.{digits}f}]"
        else:
            measured = "not measured"
        verdict = "n/a" if passed is None else ("pass" if passed else "FAIL")
        self.rows.append((figure, target, measured, verdict))

    # MARK: figures

    def floor(self):
        seconds = str(min(self.seconds, 3.0))
        for batch in (1, 1000):
            self.repeat(f"floor-{batch}", lambda: self.python(
                sys.executable, "sqlite_floor.py", "--batch", str(batch), "--seconds", seconds)["rowsPerSecond"])

    def eventsourcing(self):
        venv = os.path.join(self.arguments.cache, "eventsourcing-venv")
        interpreter = os.path.join(venv, "bin", "python")
        if not os.path.exists(interpreter):
            log("installing eventsourcing==9.5.6 into " + venv)
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "eventsourcing==9.5.6"], check=True)
        seconds = str(min(self.seconds, 5.0))
        self.repeat("eventsourcing", lambda: self.python(
            interpreter, "eventsourcing_workload.py", "--seconds", seconds)["commandsPerSecond"])

    def fill(self, daemon, events):
        """Grows the stopped daemon's log to `events` with fill_log.py, then starts it (its read models catch up)."""
        log(f"filling the log to {events:,} events (fill_log.py, daemon stopped)")
        result = self.python(sys.executable, "fill_log.py", "--state-dir", daemon.state, "--events", str(events),
                             dir_argument=False)
        self.results.setdefault("fill", []).append(result)
        log(f"filled: {result}")
        catch_up = daemon.start()
        self.results.setdefault("catch-up", []).append({"head": result["head"], "seconds": catch_up})
        log(f"daemon ready after catching its read models up to {result['head']:,}: {catch_up:.1f} s")

    def writes(self, daemon, suffix=""):
        seconds = str(self.seconds)
        for clients in (1, 16, 64):
            runs = []

            def one():
                sampler = RSSSampler(daemon.process.pid) if clients == 64 else None
                result = self.load("write", "--socket", daemon.socket, "--clients", str(clients), "--seconds", seconds)
                if sampler:
                    result["rssMaxMiB"] = max(value for _, value in sampler.stop())
                runs.append(result)
                return result["commandsPerSecond"]

            self.repeat(f"write-{clients}{suffix}", one)
            self.results[f"write-{clients}{suffix}-runs"] = runs

    def queries(self, daemon, suffix=""):
        runs = []

        def one():
            result = self.load("query", "--socket", daemon.socket, "--writers", "16", "--seconds", str(self.seconds))
            runs.append(result)
            return result["latency"]["p99Ms"]

        self.repeat(f"query-p99{suffix}", one)
        self.results[f"query{suffix}-runs"] = runs

    def follow(self, daemon):
        runs = []

        def one():
            result = self.load("follow", "--socket", daemon.socket, "--seconds", str(self.seconds))
            runs.append(result)
            return result["latency"]["p99Ms"]

        self.repeat("follow-p99", one)
        self.results["follow-runs"] = runs

    def rebuild(self, daemon):
        def one():
            started = time.perf_counter()
            varlink_call(daemon.socket, "org.oversight.admin.Rebuild", {})
            return time.perf_counter() - started

        reps, self.reps = self.reps, (1 if self.quick else 3)
        self.repeat("rebuild", one)
        self.reps = reps

    def startups(self, daemon):
        idle = []

        def one():
            seconds = daemon.start()
            time.sleep(2)
            idle.append(daemon.rss_mib())
            daemon.stop()
            return seconds

        self.repeat("startup", one)
        self.results["rss-idle-large"] = idle

    def soak(self, daemon, seconds):
        log(f"soak: 64 clients for {seconds} s, RSS every 5 s")
        sampler = RSSSampler(daemon.process.pid, interval=5)
        result = self.load("write", "--socket", daemon.socket, "--clients", "64", "--seconds", str(seconds))
        samples = sampler.stop()
        self.results["soak"] = {"write": result, "rss": samples}

    # MARK: the run

    def run_queries(self, sizes):
        """Only the query figures: seed, then for each log size grow the log and time the queries under 16 writers.

        Prints one line per size (median and range of the overall and per-query p99) and keeps the state directory's
        daemon stopped between sizes, as the full run does.
        """
        started = time.time()
        log(f"queries only at {', '.join(f'{size:,}' for size in sizes)} events; {self.reps} repetitions of "
            f"{self.seconds} s")
        daemon = Daemon(os.path.join(self.bin, "oversightd"), os.path.join(self.arguments.work, "d"))
        daemon.start()
        self.results["seed"] = self.load("seed", "--socket", daemon.socket)
        daemon.stop()
        for size in sizes:
            self.fill(daemon, size)
            time.sleep(2)
            head = daemon.head()
            suffix = f"-{head}"
            self.queries(daemon, suffix=suffix)
            runs = self.results[f"query{suffix}-runs"]
            self.row(f"query p99 under 16 writers ({head:,} events)", "≤ 5 ms", self.results[f"query-p99{suffix}"],
                     "ms", statistics.median(self.results[f"query-p99{suffix}"]) <= 5, 2)
            for name in ("topic-board", "department-items", "scorecard"):
                self.row(f"  … {name} p99", "reference", [run["queries"][name]["p99Ms"] for run in runs], "ms",
                         None, 2)
                self.row(f"  … {name} p50", "reference", [run["queries"][name]["p50Ms"] for run in runs], "ms",
                         None, 2)
            daemon.stop()
        self.results["seconds"] = time.time() - started
        self.print_table()

    def sides(self, what, sizes):
        """The builds an alternating run compares: `--base-bin` ("old") first if given, then this one ("new")."""
        sides = [("new", self.bin)]
        if self.arguments.base_bin:
            sides.insert(0, ("old", self.arguments.base_bin))
        log(f"{what} at {', '.join(f'{size:,}' for size in sizes)} events; {self.reps} repetitions; "
            f"sides {', '.join(f'{name}={path}' for name, path in sides)}")
        return sides

    def run_idle(self, sizes):
        """Only the idle memory figures: for each log size, the RSS of a daemon sitting idle.

        The log is seeded and grown with fill_log.py once per size and copied aside with its read models behind the
        head; each repetition, for each side (`--base-bin`, an older build, first), copies it back, starts the daemon
        (which catches the read models up, as the full run's idle figure does), and reads VmRSS 2 s after READY;
        then drives 16 writers for 3 s and reads VmRSS again after 10 s of quiet.
        """
        started = time.time()
        sides = self.sides("idle memory only", sizes)
        directory = os.path.join(self.arguments.work, "d")
        template = os.path.join(self.arguments.work, "template")
        daemon = Daemon(os.path.join(self.bin, "oversightd"), directory)
        daemon.start()
        self.results["seed"] = self.load("seed", "--socket", daemon.socket)
        daemon.stop()
        for size in sizes:
            result = self.python(sys.executable, "fill_log.py", "--state-dir", daemon.state, "--events", str(size),
                                 dir_argument=False)
            log(f"filled: {result}")
            head = result["head"]
            shutil.rmtree(template, ignore_errors=True)
            shutil.copytree(daemon.state, template)
            after_start = {name: [] for name, _ in sides}
            after_burst = {name: [] for name, _ in sides}
            for index in range(self.reps):
                for name, path in sides:
                    shutil.rmtree(daemon.state)
                    shutil.copytree(template, daemon.state)
                    side = Daemon(os.path.join(path, "oversightd"), directory)
                    side.start()
                    time.sleep(2)
                    after_start[name].append(side.rss_mib())
                    self.load("write", "--socket", side.socket, "--clients", "16", "--seconds", "3")
                    time.sleep(10)
                    after_burst[name].append(side.rss_mib())
                    log(f"idle {name} at {head:,} #{index + 1}: {after_start[name][-1]:.1f} MiB after start-up, "
                        f"{after_burst[name][-1]:.1f} MiB 10 s after a write burst")
                    side.stop()
            for name, _ in sides:
                self.results[f"rss-idle-{name}-{head}"] = after_start[name]
                self.results[f"rss-idle-after-burst-{name}-{head}"] = after_burst[name]
                self.row(f"RSS idle 2 s after start-up and catch-up ({head:,} events), {name}", IDLE_TARGET,
                         after_start[name], "MiB", statistics.median(after_start[name]) <= IDLE_MIB)
                self.row(f"RSS idle 10 s after 3 s of 16 writers ({head:,} events), {name}", IDLE_TARGET,
                         after_burst[name], "MiB", statistics.median(after_burst[name]) <= IDLE_MIB)
        self.results["seconds"] = time.time() - started
        self.print_table()

    def run_rebuilds(self, sizes):
        """Only the rebuild figures: seed, then for each log size grow the log and time `admin.Rebuild`.

        With `--base-bin`, the daemon of that directory (an older build) is timed on the same state directory in the
        same run, alternating with this build (old first, then new, each repetition), so both sides see the same
        machine load. Each repetition starts the daemon, times one rebuild, checks the chain, and stops it.
        """
        started = time.time()
        sides = self.sides("rebuilds only", sizes)
        directory = os.path.join(self.arguments.work, "d")
        # A work directory kept from an earlier run (--keep) is reused: its log is only grown to the sizes.
        fresh = not os.path.exists(os.path.join(directory, "state", "oversight.sqlite"))
        daemon = Daemon(os.path.join(self.bin, "oversightd"), directory)
        daemon.start()
        if fresh:
            self.results["seed"] = self.load("seed", "--socket", daemon.socket)
        daemon.stop()
        for size in sizes:
            self.fill(daemon, size)
            head = daemon.head()
            daemon.stop()
            values = {name: [] for name, _ in sides}
            cpu_values = {}
            for index in range(self.reps):
                for name, path in sides:
                    side = Daemon(os.path.join(path, "oversightd"), directory)
                    side.start()
                    cpu = cpu_seconds(side.process.pid)
                    begun = time.perf_counter()
                    varlink_call(side.socket, "org.oversight.admin.Rebuild", {}, timeout=3600)
                    values[name].append(time.perf_counter() - begun)
                    cpu_values.setdefault(name, []).append(cpu_seconds(side.process.pid) - cpu)
                    log(f"rebuild {name} at {head:,} #{index + 1}: {values[name][-1]:.3f} s "
                        f"(CPU {cpu_values[name][-1]:.3f} s)")
                    if index == 0:
                        verification = varlink_call(side.socket, "org.oversight.log.Verify", timeout=3600)
                        if not verification.get("intact"):
                            raise RuntimeError(f"the hash chain does not verify: {verification}")
                    side.stop()
            for name, _ in sides:
                self.results[f"rebuild-{name}-{head}"] = values[name]
                self.results[f"rebuild-cpu-{name}-{head}"] = cpu_values[name]
                self.row(f"rebuild every read model ({head:,} events, Admin.Rebuild), {name}", "≤ 10 s at 1,000,000",
                         values[name], "s", statistics.median(values[name]) <= 10 if head >= 1_000_000 else None, 2)
                self.row(f"  … CPU time of oversightd (user + system), {name}", "reference", cpu_values[name], "s",
                         None, 2)
        self.results["seconds"] = time.time() - started
        self.print_table()

    def run(self):
        started = time.time()
        log(f"work directory {self.arguments.work}; {self.reps} repetitions of {self.seconds} s")
        self.floor()
        self.eventsourcing()
        daemon = Daemon(os.path.join(self.bin, "oversightd"), os.path.join(self.arguments.work, "d"))
        daemon.start()
        self.results["seed"] = self.load("seed", "--socket", daemon.socket)
        daemon.stop()
        self.fill(daemon, 100_000)
        time.sleep(2)
        self.results["rss-idle"] = [daemon.rss_mib()]
        self.results["head-small"] = daemon.head()
        self.writes(daemon)
        self.queries(daemon)
        self.follow(daemon)
        if self.arguments.soak > 0:
            self.soak(daemon, self.arguments.soak)
        daemon.stop()
        self.fill(daemon, self.arguments.events)
        self.results["head-large"] = daemon.head()
        self.rebuild(daemon)
        verification = varlink_call(daemon.socket, "org.oversight.log.Verify")
        self.results["verify"] = verification
        if not verification.get("intact"):
            raise RuntimeError(f"the hash chain does not verify: {verification}")
        daemon.stop()
        self.startups(daemon)
        if self.arguments.growth:
            self.fill(daemon, self.arguments.growth)
            self.results["head-growth"] = daemon.head()
            self.writes(daemon, suffix="-growth")
            self.queries(daemon, suffix="-growth")
            daemon.stop()
        self.results["seconds"] = time.time() - started
        self.table()

    def table(self):
        r = self.results
        floor = statistics.median(r["floor-1000"])
        self.row("raw SQLite floor, 1 row/txn (synchronous=FULL, WAL)", "reference", r["floor-1"], "rows/s", None, 0)
        self.row("raw SQLite floor, 1,000 rows/txn, 10,000 streams", "reference", r["floor-1000"], "rows/s", None, 0)
        single = r["write-1-runs"]
        p50 = [run["latency"]["p50Ms"] for run in single]
        p99 = [run["latency"]["p99Ms"] for run in single]
        self.row("durable command, 1 client sequential: p50", "≤ 0.3 ms", p50, "ms",
                 statistics.median(p50) <= 0.3, 3)
        self.row("durable command, 1 client sequential: p99", "≤ 2 ms", p99, "ms", statistics.median(p99) <= 2, 3)
        self.row("durable commands, 1 client", "reference", r["write-1"], "cmd/s", None, 0)
        for clients in (16, 64):
            values = r[f"write-{clients}"]
            median = statistics.median(values)
            self.row(f"durable commands, {clients} clients (group commit)",
                     f"≥ 20,000/s and ≥ 50 % of floor ({floor * 0.5:,.0f})", values, "cmd/s",
                     median >= 20_000 and median >= 0.5 * floor, 0)
            self.row(f"  … as % of the raw 1,000-row floor", "≥ 50 %", [v / floor * 100 for v in values], "%",
                     median >= 0.5 * floor, 0)
        best = max(statistics.median(r["write-16"]), statistics.median(r["write-64"]))
        self.row("eventsourcing 9.5.6 + SQLite, same workload (1 process)", "reference", r["eventsourcing"],
                 "cmd/s", None, 0)
        ratios = [best / value for value in r["eventsourcing"]]
        self.row("Oversight (best of 16/64 clients) ÷ eventsourcing", "≥ 25×", ratios, "×",
                 statistics.median(ratios) >= 25, 1)
        self.row("query p99 (topic board, dept items, scorecard) under 16 writers", "≤ 5 ms", r["query-p99"], "ms",
                 statistics.median(r["query-p99"]) <= 5, 2)
        for name in ("topic-board", "department-items", "scorecard"):
            self.row(f"  … {name} p99", "reference", [run["queries"][name]["p99Ms"] for run in r["query-runs"]],
                     "ms", None, 2)
        self.row("append → log follow client sees it: p99 (from sending the command)", "≤ 5 ms", r["follow-p99"],
                 "ms", statistics.median(r["follow-p99"]) <= 5, 2)
        self.row("  … p99 from the writer's reply (lower bound)", "reference",
                 [run["afterReply"]["p99Ms"] for run in r["follow-runs"]], "ms", None, 2)
        large = r["head-large"]
        full_size = large >= 1_000_000
        self.row(f"rebuild every read model ({large:,} events, Admin.Rebuild)", "≤ 10 s at 1,000,000", r["rebuild"],
                 "s", statistics.median(r["rebuild"]) <= 10 if full_size else None, 2)
        self.row(f"start-up to READY ({large:,} events)", "≤ 1 s at 1,000,000", r["startup"], "s",
                 statistics.median(r["startup"]) <= 1 if full_size else None, 3)
        for entry in r.get("catch-up", []):
            self.row(f"  first start after fill_log.py: read models catch up to {entry['head']:,}", "reference",
                     [entry["seconds"]], "s", None, 1)
        self.rows.append((f"hash chain verifies ({r['verify']['checked']:,} events, Log.Verify)", "intact",
                          "intact" if r["verify"]["intact"] else "BROKEN", "pass" if r["verify"]["intact"] else "FAIL"))
        self.row(f"RSS idle ({r['head-small']:,} events)", IDLE_TARGET, r["rss-idle"], "MiB",
                 r["rss-idle"][0] <= IDLE_MIB)
        self.row(f"RSS idle after start-up ({large:,} events)", IDLE_TARGET, r["rss-idle-large"], "MiB",
                 statistics.median(r["rss-idle-large"]) <= IDLE_MIB)
        under = [run["rssMaxMiB"] for run in r["write-64-runs"]]
        self.row("RSS max during the 64-client run", LOAD_TARGET, under, "MiB", max(under) <= LOAD_MIB)
        if "soak" in r:
            samples = r["soak"]["rss"]
            minute = [v for t, v in samples if t <= 60]
            last = [v for t, v in samples if t >= samples[-1][0] - 60]
            growth = max(last) - max(minute)
            self.row(f"RSS over a {self.arguments.soak // 60}-minute 64-client run: last minute − first (max)",
                     "flat (≤ 10 MiB)", [growth], "MiB", growth <= 10)
        if self.arguments.growth:
            for name, better in (("write-16", "higher"), ("query-p99", "lower")):
                small = statistics.median(r[name])
                grown = statistics.median(r[f"{name}-growth"])
                ratio = small / grown if better == "higher" else grown / small
                self.row(f"{name} at {r['head-growth']:,} vs {r['head-small']:,} events (slow-down)", "≤ 2×",
                         r[f"{name}-growth"], "cmd/s" if name == "write-16" else "ms", ratio <= 2, 1)
        self.print_table()

    def print_table(self):
        headers = ("figure", "target", "measured: median [min–max]", "result")
        widths = [max(len(headers[i]), *(len(row[i]) for row in self.rows)) for i in range(4)]
        lines = ["| " + " | ".join(h.ljust(widths[i]) for i, h in enumerate(headers)) + " |",
                 "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        for row in self.rows:
            lines.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        table = "\n".join(lines)
        print(table)
        if self.arguments.output:
            with open(self.arguments.output, "w") as output:
                json.dump({"results": self.results, "table": table, "machine": machine()}, output, indent=1,
                          ensure_ascii=False)


def machine():
    def run(*command):
        try:
            return subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "disk": run("findmnt", "-no", "SOURCE,FSTYPE,OPTIONS", "-T", "."),
            "commit": run("git", "rev-parse", "--short", "HEAD"), "load": os.getloadavg()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", required=True, help="directory of the release oversightd and oversight-load")
    parser.add_argument("--work", required=True, help="fresh directory for the run's files")
    parser.add_argument("--cache", required=True, help="directory kept between runs (the eventsourcing venv)")
    parser.add_argument("--quick", action="store_true", help="3 repetitions of 3 s, no soak, no growth run")
    parser.add_argument("--reps", type=int, default=0, help="repetitions of each figure (default 5, quick 3)")
    parser.add_argument("--seconds", type=float, default=0, help="length of each timed run (default 10, quick 3)")
    parser.add_argument("--events", type=int, default=0,
                        help="log size for rebuild and start-up (default 1,000,000; quick 300,000)")
    parser.add_argument("--growth", type=int, default=0, help="also measure writes and queries at this log size")
    parser.add_argument("--soak", type=int, default=0, help="seconds of a 64-client run watching RSS (0: none)")
    parser.add_argument("--output", help="write the results as JSON to this file")
    parser.add_argument("--queries-only", metavar="SIZES",
                        help="only the query figures, at these comma-separated log sizes (e.g. 100000,2000000)")
    parser.add_argument("--rebuild-only", metavar="SIZES",
                        help="only the rebuild figures, at these comma-separated log sizes (e.g. 300000,1000000)")
    parser.add_argument("--idle-only", metavar="SIZES",
                        help="only the idle RSS figures, at these comma-separated log sizes (e.g. 100000)")
    parser.add_argument("--base-bin", metavar="DIR",
                        help="with --rebuild-only or --idle-only: also run the oversightd in DIR (an older build), "
                             "alternating")
    arguments = parser.parse_args()
    log(f"machine: {json.dumps(machine())}")
    if arguments.idle_only:
        Bench(arguments).run_idle([int(size) for size in arguments.idle_only.split(",")])
    elif arguments.rebuild_only:
        Bench(arguments).run_rebuilds([int(size) for size in arguments.rebuild_only.split(",")])
    elif arguments.queries_only:
        Bench(arguments).run_queries([int(size) for size in arguments.queries_only.split(",")])
    else:
        Bench(arguments).run()


if __name__ == "__main__":
    main()
