"""What one request costs the app server: CPU time and queries, without any network or load.

Calls the WSGI application in this process, as an app-server worker does, against a throwaway
PostgreSQL database with the demo loaded, and measures the CPU time (``process_time``: this
process only, so other work on the machine moves it less than the wall clock; the fastest
run of 25 requests is reported, beside the mean), the CPU time of the PostgreSQL server
process that answers it (from /proc) and the queries of:

- ``GET /health`` (no database, no template): the floor of a request through Django;
- ``GET /<edition>/programme/`` from the cache (the crowd's page);
- ``POST /api/v1/editions/<edition>/registrations`` with a new address, first
  while seats are left, then on the waiting list;
- the same POST again for an address registered already (200, the link mailed again).

    .venv/bin/python bench/request_cost.py
    .venv/bin/python bench/request_cost.py --profile registration   # cProfile, top functions
    .venv/bin/python bench/request_cost.py --instructions --count 50  # under callgrind

``--instructions`` runs the same requests under valgrind's callgrind (Debian's ``valgrind``)
and prints the machine instructions the app executes per request instead of times: a count
that does not move with what else the machine does, so two versions can be compared on a
busy or uneven machine. Only the measured requests are counted (callgrind_control turns the
counting on and off around them, and the cyclic garbage collector is off meanwhile);
PostgreSQL's side is not in it, and a request runs about fifty times slower while counted.

The registration path writes one outbox row per request (nothing is sent: no worker runs).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import drop_database, ketenconf, production_env, recreate_database

SLUG = "ketenconferentie-2027"
#: Requests per timed run; the fastest run counts (the least disturbed by other processes).
CHUNK = 25
#: Set in the process that runs under callgrind: the folder its counts are dumped to.
CALLGRIND_DIR = "KETENCONF_BENCH_CALLGRIND_DIR"


class Instructions:
    """Counts the instructions of a stretch of this process, when it runs under callgrind."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.pid = str(os.getpid())

    def _control(self, *options: str) -> None:
        subprocess.run(
            ["callgrind_control", *options, self.pid], check=True, capture_output=True, timeout=120
        )

    def start(self) -> None:
        self._control("--zero")
        self._control("--instr=on")

    def stop(self, label: str) -> int:
        """Stop counting; the instructions since ``start``, as callgrind dumped them."""
        self._control("--instr=off")
        before = set(self.folder.iterdir())
        self._control(f"--dump={label}")
        (dump,) = set(self.folder.iterdir()) - before
        for line in dump.read_text().splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1])
        raise SystemExit(f"no totals in {dump}")


def under_callgrind(argv: list[str]) -> int:
    """Run this script again under callgrind, counting only the measured requests."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("--instructions needs valgrind: apt-get install valgrind")
    with tempfile.TemporaryDirectory(prefix="request-cost-") as folder:
        env = {**os.environ, CALLGRIND_DIR: folder, "PYTHONHASHSEED": "0"}
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={folder}/callgrind.%p",
            "--log-file=/dev/null",
            sys.executable,
            __file__,
            *(arg for arg in argv if arg != "--instructions"),
        ]
        return subprocess.run(command, env=env, check=False).returncode


def environ(method: str, path: str, body: bytes = b"", **headers: str) -> dict[str, Any]:
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def call(app: Callable[..., Any], env: dict[str, Any]) -> tuple[str, bytes]:
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(line)

    result = app(env, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return status[0], body


def call_expecting(app: Callable[..., Any], env: dict[str, Any], label: str, expect: str) -> None:
    """One request, which must answer ``expect`` (a status prefix); else the bench stops."""
    status, body = call(app, env)
    if not status.startswith(expect):
        raise SystemExit(f"{label}: {status} {body[:300]!r}")


def registrations(start: int) -> Iterator[dict[str, Any]]:
    n = start
    while True:
        body = json.dumps(
            {
                "name": f"Deelnemer {n}",
                "email": f"kosten{n}@example.org",
                "organisation": ["IND", "COA", "Gemeente Oss", "VNG"][n % 4],
                "job_title": "Beleidsmedewerker",
                "networking_consent": n % 3 == 0,
            }
        ).encode()
        yield environ("POST", f"/api/v1/editions/{SLUG}/registrations", body, Accept_Language="nl")
        n += 1


def measure(
    app: Callable[..., Any],
    label: str,
    make: Callable[[], dict[str, Any]],
    count: int,
    expect: str,
    profile: cProfile.Profile | None = None,
    show: bool = False,
) -> float:
    from django.db import connection

    if show:  # one request first, with its SQL
        print(f"{label}: the queries of one request")

        def printing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            print(f"    {' '.join(sql.split())[:220]}")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(printing):
            call(app, make())
    queries = 0

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    call(app, make())  # opens the connection, so its server process can be found
    if os.environ.get(CALLGRIND_DIR):
        return count_instructions(app, label, make, count, expect)
    backend = backend_seconds()
    wall = time.perf_counter()
    chunks: list[float] = []  # CPU seconds per request of each run of CHUNK requests
    if profile is not None:
        profile.enable()
    with connection.execute_wrapper(counting):
        for first in range(0, count, CHUNK):
            cpu = time.process_time()
            for _ in range(min(CHUNK, count - first)):
                call_expecting(app, make(), label, expect)
            chunks.append((time.process_time() - cpu) / min(CHUNK, count - first))
    if profile is not None:
        profile.disable()
    wall = (time.perf_counter() - wall) / count
    database = (backend_seconds() - backend) / count
    mean = sum(chunks) / len(chunks)
    print(
        f"{label:<34} CPU {min(chunks) * 1000:6.2f} ms (mean {mean * 1000:6.2f})"
        f"  + PostgreSQL {database * 1000:5.2f} ms  wall {wall * 1000:6.2f} ms"
        f"  {queries / count:5.1f} queries",
        flush=True,
    )
    return min(chunks)


def count_instructions(
    app: Callable[..., Any],
    label: str,
    make: Callable[[], dict[str, Any]],
    count: int,
    expect: str,
) -> float:
    """The instructions the app executes per request, in millions, counted by callgrind."""
    counter = Instructions(os.environ[CALLGRIND_DIR])
    environs = [make() for _ in range(count)]  # made before counting: the client's work
    # Without the cyclic collector: where its full runs fall would move the count by a whole
    # collection (a few million instructions per request over 30 requests).
    gc.collect()
    gc.disable()
    counter.start()
    try:
        for env in environs:
            call_expecting(app, env, label, expect)
    finally:
        gc.enable()
    millions = counter.stop("".join(c if c.isalnum() else "-" for c in label)) / count / 1e6
    print(f"{label:<34} {millions:8.2f} million instructions per request", flush=True)
    return millions


def backend_seconds() -> float:
    """CPU seconds the PostgreSQL server process of this connection has used (Linux /proc)."""
    from django.db import connection

    if connection.connection is None:
        return 0.0
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:  # the server is elsewhere: not measured
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="requests per measurement")
    parser.add_argument("--profile", choices=["programme", "registration", "health", "again"])
    parser.add_argument(
        "--queries", action="store_true", help="print the SQL of one request of each kind"
    )
    parser.add_argument("--top", type=int, default=40, help="functions listed by --profile")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_cost")
    parser.add_argument("--redis", default="", help="cache in Redis, as in production")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per request under valgrind's callgrind instead of timing",
    )
    args = parser.parse_args()
    if args.instructions:
        return under_callgrind(sys.argv[1:])

    extra = {"KETENCONF_RATELIMIT": "off"}
    if args.redis:
        extra |= {
            "KETENCONF_CACHE_URL": args.redis,
            "KETENCONF_CACHE_KEY_PREFIX": f"cost-{os.getpid()}",
        }
    env = production_env(f"{args.server}/{args.database}", **extra)
    print(f"database {args.database}: create, migrate, demo ...", flush=True)
    recreate_database(args.server, args.database)
    try:
        ketenconf(env, "migrate", "--noinput")
        ketenconf(env, "demo")
        os.environ.update(env)
        import django

        django.setup()
        from django.core.wsgi import get_wsgi_application

        from ketenconf.events.models import Edition

        # Seats for the first half of the measurement, the waiting list for the second.
        edition = Edition.objects.get(slug=SLUG)
        Edition.objects.filter(pk=edition.pk).update(capacity=edition.seats_taken + args.count)
        app = get_wsgi_application()
        print(f"load average {os.getloadavg()[0]:.1f}; {args.count} requests each", flush=True)

        programme = environ("GET", f"/{SLUG}/programme/", Accept_Language="nl")
        new = registrations(0)
        again = registrations(0)
        for _ in range(20):  # warm up: imports, templates, the cached fragment, the connection
            call(app, environ("GET", "/health"))
            call(app, environ("GET", f"/{SLUG}/programme/"))
        profile = cProfile.Profile(time.process_time) if args.profile else None

        def profiled(name: str) -> cProfile.Profile | None:
            return profile if args.profile == name else None

        health = measure(
            app,
            "GET /health",
            lambda: environ("GET", "/health"),
            args.count,
            "200",
            profiled("health"),
            args.queries,
        )
        page = measure(
            app,
            "GET programme (cached)",
            lambda: {**programme, "wsgi.input": io.BytesIO()},
            args.count,
            "200",
            profiled("programme"),
            args.queries,
        )
        seat = measure(
            app,
            "POST registration (seat)",
            lambda: next(new),
            args.count,
            "201",
            profiled("registration"),
            args.queries,
        )
        wait = measure(
            app,
            "POST registration (waiting list)",
            lambda: next(new),
            args.count,
            "201",
            None,
            args.queries,
        )
        repeat = measure(
            app,
            "POST registration (again: 200)",
            lambda: next(again),
            args.count // 2,
            "200",
            profiled("again"),
            args.queries,
        )
        print(
            f"\nratios to /health: programme {page / health:.1f}, registration "
            f"{seat / health:.1f} (waiting list {wait / health:.1f}, again {repeat / health:.1f});"
            f" registration / programme {seat / page:.2f}"
        )
        if profile is not None:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
            print(out.getvalue())
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.server, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
