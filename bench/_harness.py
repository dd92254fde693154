"""What the benchmarks and the production tests share: a throwaway PostgreSQL database, the app
served by ``ketenconf serve`` with its production configuration on loopback, and clients that
fire requests and time them.

No dependencies beyond the project's: ``http.client`` in threads, each client on its own
keep-alive connection.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- The database ------------------------------------------------------------------------------


def recreate_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(
            f"{' '.join(command[:3])} ... failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    return done.stdout


def ketenconf(env: dict[str, str], *args: str) -> str:
    """Run a ``ketenconf`` command; its standard output. Exits with its errors if it fails."""
    return _run([str(BIN / "ketenconf"), *args], env)


#: Python source for ``python()``: ``login_session(user)`` is the key of a new session in which
#: ``user`` is logged in, as the login form leaves it, for clients that send it as a cookie.
LOGIN_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
def login_session(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
"""


def python(env: dict[str, str], code: str) -> str:
    """Run Python with Django set up against ``env``'s database; its standard output."""
    setup = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ketenconf.settings')\n"
        "django.setup()\n"
    )
    return _run([sys.executable, "-c", setup + code], env)


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production install on loopback (no TLS: the proxy would do that)."""
    return {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url,
        "KETENCONF_DATABASE_CONN_MAX_AGE": "60",
        "KETENCONF_DEBUG": "false",
        "KETENCONF_SECRET_KEY": "bench-" + "x1y2z3" * 10,
        "KETENCONF_LOG_LEVEL": "WARNING",
        "KETENCONF_ACCESS_LOG": "off",
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
        **extra,
    }


# --- The app server ------------------------------------------------------------------------------


class AppServer:
    """``ketenconf serve`` (granian with the production configuration) on a loopback port.

    The server is the leader of its own process group, so ``kill_hard()`` takes it and its
    workers down at once with SIGKILL, as a power cut or the OOM killer would.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int,
        threads: int = 2,
        port: int | None = None,
        log: Path | None = None,
        extra: Sequence[str] = (),
    ) -> None:
        self.port = port or free_port()
        self.env = {
            **env,
            "KETENCONF_BIND": f"127.0.0.1:{self.port}",
            "KETENCONF_WEB_WORKERS": str(workers),
            "KETENCONF_WEB_THREADS": str(threads),
        }
        self.workers = workers
        self.threads = threads
        self.log = log
        self.extra = list(extra)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, wait: float = 30) -> AppServer:
        command = [str(BIN / "ketenconf"), "serve", *(["--", *self.extra] if self.extra else [])]
        with self.log.open("ab") if self.log else open(os.devnull, "wb") as output:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=REPO,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self.wait_until_up(wait)
        except BaseException:
            self.kill_hard()
            raise
        return self

    def wait_until_up(self, seconds: float) -> None:
        """Until /ready answers 200 (a worker has the app loaded and reaches the database)."""
        deadline = time.monotonic() + seconds
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the app server exited with {self.process.returncode}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/ready")
                response = conn.getresponse()
                last = response.read().decode(errors="replace")
                if response.status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        raise RuntimeError(
            f"the app server was not ready on port {self.port} within {seconds} s; /ready: {last}"
        )

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM: the server finishes the requests in hand, then exits."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_hard()

    def kill_hard(self) -> None:
        """SIGKILL to the server and every worker at once: nothing gets to clean up."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- CPU time ------------------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc); 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_pids(group: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[2]) == group:
                pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU time used by the app server (granian's main process and workers), by the PostgreSQL
    server processes connected to the database, and by this process (the clients), between
    ``start()`` and ``stop()``. On a shared machine this is the steady figure: CPU seconds per
    request do not depend on how many other processes wait for the same cores.

    Needs Linux and PostgreSQL on this machine; otherwise the parts it cannot see read 0.
    """

    def __init__(self, server: AppServer, database_url: str) -> None:
        self.server = server
        self.database_url = database_url
        self.before: dict[str, dict[int, float]] = {}
        self.clients = 0.0

    def _postgres_pids(self) -> list[int]:
        server, _, name = self.database_url.rpartition("/")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchall()
        return [int(pid) for (pid,) in rows]

    def _snapshot(self) -> dict[str, dict[int, float]]:
        assert self.server.process is not None
        return {
            "app": {pid: _cpu_seconds(pid) for pid in _group_pids(self.server.process.pid)},
            "PostgreSQL": {pid: _cpu_seconds(pid) for pid in self._postgres_pids()},
        }

    def start(self) -> None:
        self.before = self._snapshot()
        self.clients = time.process_time()

    def stop(self) -> dict[str, float]:
        clients = time.process_time() - self.clients
        after = self._snapshot()
        used = {
            who: sum(seconds - self.before[who].get(pid, 0.0) for pid, seconds in pids.items())
            for who, pids in after.items()
        }
        return {**used, "clients": clients}


# --- Clients -------------------------------------------------------------------------------------


class Request(NamedTuple):
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = {}
    kind: str = ""


@dataclass
class Run:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    #: CPU seconds used during the run, by whom ("app", "PostgreSQL", "clients"), if measured.
    cpu: dict[str, float] = field(default_factory=dict)
    #: Set when the requests were not timed one by one here (by wrk): how many were answered,
    #: and latency percentiles in milliseconds.
    answered: int | None = None
    percentiles: dict[float, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.answered if self.answered is not None else len(self.latencies)

    def cpu_per_request(self) -> str:
        """CPU milliseconds per request of each part: what the run costs, whatever the load."""
        if not self.cpu or not self.count:
            return ""
        parts = ", ".join(
            f"{who} {seconds / self.count * 1000:.2f}" for who, seconds in self.cpu.items()
        )
        return f"CPU ms per request: {parts}"

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if p in self.percentiles:
            return self.percentiles[p]
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    def line(self, width: int = 28) -> str:
        return (
            f"{self.label:<{width}} {self.count:>6} requests in {self.seconds:6.2f} s = "
            f"{self.rate:7.1f}/s   p50 {self.percentile(50):6.1f} ms   p99 {self.percentile(99):6.1f} ms"
            f"   statuses {dict(sorted(self.statuses.items()))}"
            + (f"   errors {dict(self.errors)}" if self.errors else "")
            + (f"\n{'':<{width}} {self.cpu_per_request()}" if self.cpu else "")
        )


@dataclass
class Outcome:
    """One request's answer, for checks after a run."""

    request: Request
    status: int | None
    body: bytes


def fire(
    port: int,
    clients: int,
    requests: Sequence[Request],
    label: str,
    *,
    think: float = 0.0,
    keep: list[Outcome] | None = None,
    retry: bool = True,
    meter: CpuMeter | None = None,
) -> tuple[Run, dict[str, Run]]:
    """Send the requests from ``clients`` threads, each on its own keep-alive connection.

    Returns the whole run and one run per request ``kind`` (each with the whole run's
    seconds, so its rate is its share of the throughput). ``think`` > 0: each client waits a
    random 0 to 2 x ``think`` seconds after each answer, as a person reading a page would;
    0: each fires again at once (a closed loop, which measures throughput). With ``keep``,
    every request's status and body is appended there (status None: no answer).
    ``retry``: a request whose kept-alive connection the server closed is sent once more.
    With a ``meter``, the run's ``cpu`` says what it cost whom.
    """
    run = Run(label)
    latencies: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    start_together = threading.Barrier(clients + 1)

    def client(seed: int) -> None:
        pacing = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[tuple[str, float, int]] = []
        statuses: Counter[int] = Counter()
        errors: Counter[str] = Counter()
        outcomes: list[Outcome] = []
        start_together.wait()
        if think:  # people do not all arrive in the same millisecond
            time.sleep(pacing.uniform(0, 2 * think))
        while True:
            with lock:
                n = next(cursor, None)
            if n is None:
                break
            request = requests[n]
            for attempt in range(2 if retry else 1):
                began = time.perf_counter()
                try:
                    conn.request(
                        request.method, request.path, body=request.body, headers=request.headers
                    )
                    response = conn.getresponse()
                    body = response.read()
                except (http.client.HTTPException, OSError) as problem:
                    conn.close()  # the server closed a kept-alive connection: reconnect
                    if attempt == 1 or not retry:
                        errors[type(problem).__name__] += 1
                        outcomes.append(Outcome(request, None, b""))
                    continue
                mine.append((request.kind, time.perf_counter() - began, response.status))
                statuses[response.status] += 1
                outcomes.append(Outcome(request, response.status, body))
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                break
            if think:
                time.sleep(pacing.uniform(0, 2 * think))
        conn.close()
        with lock:
            latencies.extend(mine)
            run.statuses += statuses
            run.errors += errors
            if keep is not None:
                keep.extend(outcomes)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    if meter is not None:
        meter.start()
    start_together.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - began
    if meter is not None:
        run.cpu = meter.stop()
    run.latencies = [seconds for _, seconds, _ in latencies]
    kinds: dict[str, Run] = {}
    for kind, seconds, status in latencies:
        part = kinds.setdefault(kind, Run(kind, seconds=run.seconds))
        part.latencies.append(seconds)
        part.statuses[status] += 1
    return run, kinds


# --- wrk: a load generator in C, for when the clients must not eat the server's CPU ---------------

WRK = shutil.which("wrk")

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS[match[2]]


# Counts the answers by status in every wrk thread and prints them at the end, for ``wrk()``.
_WRK_STATUSES = """
local wrk_threads = {}
function setup(thread)
  thread:set("id", #wrk_threads)
  table.insert(wrk_threads, thread)
end
statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(wrk_threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\\n", status, count))
  end
end
"""


def wrk(
    port: int,
    path: str,
    label: str,
    *,
    connections: int,
    seconds: float,
    threads: int = 1,
    meter: CpuMeter | None = None,
    script: str = "",
) -> Run:
    """``connections`` clients on keep-alive connections, driven by wrk (Debian's ``wrk``) for
    ``seconds``: GET ``path`` again as soon as the answer is in (a closed loop). One wrk
    thread by default: it takes a fraction of the CPU that Python client threads would.
    Percentiles are wrk's (50, 75, 90, 99). No think time: wrk's ``delay()`` would also hold
    back each connection's first request.

    ``script``: Lua defining ``request()`` (it may read ``id``, the wrk thread's number, to
    make each request its own), for requests other than GET ``path``. The answers are counted
    by status either way."""
    if WRK is None:
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --generator threads")
    lua = Path(tempfile.mkstemp(prefix="wrk-", suffix=".lua")[1])
    lua.write_text(_WRK_STATUSES + script)
    command = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "30s",
        "--script",
        str(lua),
    ]
    command.append(f"http://127.0.0.1:{port}{path}")
    children = sum(os.times()[2:4])  # CPU seconds of child processes that have ended
    if meter is not None:
        meter.start()
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    finally:
        lua.unlink()
    run = Run(label)
    if meter is not None:
        run.cpu = meter.stop()
        # wrk is a child process: its CPU time, not this process's, is the clients'.
        run.cpu["clients"] = sum(os.times()[2:4]) - children
    out = done.stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", out)
    if total is None:
        raise SystemExit(f"wrk said:\n{out}\n{done.stderr}")
    run.answered = int(total[1])
    run.seconds = _milliseconds(total[2] + total[3]) / 1000
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, flags=re.MULTILINE):
        run.percentiles[float(percent)] = _milliseconds(value)
    run.statuses = Counter(
        {
            int(status): int(count)
            for status, count in re.findall(r"^status (\d+): (\d+)$", out, re.M)
        }
    )
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if sockets:
        for name, value in zip(
            ("connect", "read", "write", "timeout"), sockets.groups(), strict=True
        ):
            if int(value):
                run.errors[name] = int(value)
    return run
