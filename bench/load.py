"""A mixed load on the production set-up: ``ketenconf serve``, 1, 2 and 4 workers, PostgreSQL.

Creates a throwaway PostgreSQL database, migrates it, loads the demo editions, collects the
static files (manifest storage, as in production), and uses the edition that takes
registrations. It opens ``--participants`` personal pages the way people do (the link from
their mail, then the button on it) to get one browser session each. Then, for each number
of app-server workers in ``--workers`` (default 1,2,4), with the cache in Redis as in
production, it measures in the same run:

- baseline: ``GET /health`` (no database, no template): what the server and the load
  generator cost by themselves;
- mixed: programme pages, personal pages, registrations through the API and check-ins at
  the doors (door staff scanning the badges of the participants above) from ``--clients``
  clients firing back to back: throughput, p50 and p99 per kind;
- programme at ``--crowd`` (100) clients: the programme page alone, first back to back
  (the most the server gives), then as ``--crowd`` people who read each page for
  ``--think`` seconds on average before the next, which is how a crowd on their phones
  loads it.

What a client is: a keep-alive connection that sends its next request as soon as the
answer is in ("back to back": a closed loop without think time, which measures the most
the server gives; with 100 of them the latency is mostly the wait in the queue, 100 /
throughput), or after a random 0 to 2 x ``--think`` seconds ("reading": people). The
mixed load and the people reading use Python threads; the programme back to back uses
``--generator``: ``wrk`` (Debian's wrk, one C thread, for ``--seconds``; the default when
installed) or ``threads`` (Python threads sending ``--requests``, which take a good share
of the same two cores). Every run prints the CPU milliseconds per request of the app server,
PostgreSQL and the clients (from /proc), which hold however loaded the machine is.

    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --workers 2 --requests 2000 --keep

Everything runs on one machine, load generator included: compare the ratios to the baseline
of the same run rather than absolute rates between runs. Exits 1 when any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import (
    LOGIN_SESSION,
    WRK,
    AppServer,
    CpuMeter,
    Request,
    Run,
    drop_database,
    fire,
    ketenconf,
    production_env,
    python,
    recreate_database,
    wrk,
)

SLUG = "ketenconferentie-2027"

# Personal links for participants registered here, their badges' codes, and a logged-in
# session of door staff; printed as JSON for the load generator.
PARTICIPANTS = """
import json
from ketenconf.accounts.models import User
from ketenconf.team.models import EditionRole, Role
from ketenconf.checkin.tokens import badge_token
from ketenconf.events.models import Edition
from ketenconf.registration import links, services
edition = Edition.objects.get(slug={slug!r})
urls, badges = [], []
for n in range({count}):
    outcome = services.registration_create(
        edition=edition, name=f"Bezoeker {{n}}", email=f"bezoeker{{n}}@load.example",
        organisation_name="IND", even_if_closed=True,
    )
    urls.append(links.access_link_url(registration=outcome.registration))
    badges.append(badge_token(registration=outcome.registration))
staff = User.objects.create_user(username="deur-load", password=None, is_staff=True)
EditionRole.objects.create(edition=edition, user=staff, role=Role.DOOR)
print(json.dumps({{"links": urls, "badges": badges, "door_session": login_session(staff)}}))
"""


def open_personal_page(port: int, link: str) -> str:
    """Follow a personal link as a browser does: GET the page, press its button. The session."""
    path = urlsplit(link).path
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    page = response.read().decode()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in cookies:
        raise SystemExit(f"GET {path}: no CSRF token on the page")
    body = urlencode({"csrfmiddlewaretoken": token.group(1)})
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"POST {path}: {response.status}, no session")
    return cookies["sessionid"].value


def programme_request(language: str) -> Request:
    prefix = "/en" if language == "en" else ""
    return Request("GET", f"{prefix}/{SLUG}/programme/", kind="programme page")


def personal_request(session: str) -> Request:
    return Request(
        "GET", f"/{SLUG}/me/", headers={"Cookie": f"sessionid={session}"}, kind="personal page"
    )


class Registrations:
    """Registrations through the API, each with an address not used before in this run."""

    def __init__(self) -> None:
        self.next = 0

    def request(self) -> Request:
        n = self.next
        self.next += 1
        body = {
            "name": f"Aanmelder {n}",
            "email": f"aanmelder{n}@load.example",
            "organisation": ["IND", "COA", "Gemeente Oss", "VNG"][n % 4],
            "networking_consent": n % 2 == 0,
        }
        return Request(
            "POST",
            f"/api/v1/editions/{SLUG}/registrations",
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Accept-Language": "nl"},
            kind="registration (API)",
        )


class CheckIns:
    """Scans at the doors, as the door page sends them (htmx POST with the badge's code and a
    scan number): each badge in turn, at one of four doors; once every badge is in, the next
    scans of a badge are answered "already checked in", which is also what a door sees."""

    def __init__(self, badges: list[str], door_session: str) -> None:
        self.badges = badges
        self.next = 0
        csrf = secrets.token_hex(16)
        self.headers = {
            "Cookie": f"sessionid={door_session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "nl",
        }

    def request(self) -> Request:
        n = self.next
        self.next += 1
        body = urlencode({"token": self.badges[n % len(self.badges)], "nonce": f"load-{n:08d}"})
        return Request(
            "POST", f"/checkin/{SLUG}/doors/{n % 4 + 1}/", body.encode(), self.headers, "check-in"
        )


def mixed(
    count: int,
    sessions: list[str],
    registrations: Registrations,
    checkins: CheckIns,
    seed: int,
) -> list[Request]:
    """Mostly the programme, people checking their own page, some registering, and the doors
    scanning badges (the day before and the day itself at once: the worst of both)."""
    pick = random.Random(seed)
    requests: list[Request] = []
    for _ in range(count):
        roll = pick.random()
        if roll < 0.55:
            requests.append(programme_request(pick.choice(["nl", "nl", "nl", "en"])))
        elif roll < 0.80:
            requests.append(personal_request(pick.choice(sessions)))
        elif roll < 0.90:
            requests.append(registrations.request())
        else:
            requests.append(checkins.request())
    return requests


def table(runs: list[Run], baseline: Run) -> str:
    lines = []
    for run in runs:
        lines.append(
            f"  {run.line(26)}   {run.rate / baseline.rate:5.2f} x baseline rate"
            if run.rate
            else f"  {run.label}: nothing measured"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,4", help="app-server worker counts to measure")
    parser.add_argument("--threads", type=int, default=2, help="threads per app-server worker")
    parser.add_argument("--clients", type=int, default=32, help="clients in the mixed load")
    parser.add_argument("--requests", type=int, default=3000, help="requests per mixed run")
    parser.add_argument("--crowd", type=int, default=100, help="clients on the programme page")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a person reads a page"
    )
    parser.add_argument("--participants", type=int, default=100, help="personal sessions")
    parser.add_argument(
        "--generator",
        choices=["wrk", "threads"],
        default="wrk" if WRK else "threads",
        help="what drives the programme runs (default: wrk when installed)",
    )
    parser.add_argument(
        "--seconds", type=float, default=15, help="length of each programme run under wrk"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    worker_counts = [int(n) for n in args.workers.split(",")]

    static_root = tempfile.mkdtemp(prefix="ketenconf-static-")
    env = production_env(
        f"{args.server}/{args.database}",
        KETENCONF_RATELIMIT="off",
        KETENCONF_CACHE_URL=args.redis,
        KETENCONF_CACHE_KEY_PREFIX=f"load-{os.getpid()}",
        KETENCONF_STATIC_MANIFEST="true",
        KETENCONF_STATIC_ROOT=static_root,
    )
    print(f"database {args.database}: create, migrate, demo, collectstatic ...", flush=True)
    recreate_database(args.server, args.database)
    ketenconf(env, "migrate", "--noinput")
    ketenconf(env, "demo")
    ketenconf(env, "collectstatic", "--noinput")
    people = json.loads(
        python(
            env, LOGIN_SESSION + PARTICIPANTS.format(slug=SLUG, count=args.participants)
        ).splitlines()[-1]
    )
    links = people["links"]
    checkins = CheckIns(people["badges"], people["door_session"])

    log = Path(tempfile.mkstemp(prefix="server-", suffix=".log")[1])
    registrations = Registrations()
    failures: list[str] = []
    summary: list[str] = []
    sessions: list[str] = []
    print(
        f"{os.cpu_count()} CPUs, load generator on the same machine; load average "
        f"{os.getloadavg()[0]:.1f}; {args.threads} threads per worker; Redis cache; "
        f"PostgreSQL; {args.participants} personal sessions",
        flush=True,
    )
    try:
        for workers in worker_counts:
            with AppServer(env, workers=workers, threads=args.threads, log=log) as server:
                port = server.port
                if not sessions:
                    sessions = [open_personal_page(port, link) for link in links]
                warm = [programme_request("nl"), programme_request("en")] * (workers * 40)
                warm += [personal_request(s) for s in sessions]
                fire(port, args.clients, warm, "warm-up")

                print(
                    f"\n== ketenconf serve: {workers} workers x {args.threads} threads", flush=True
                )
                meter = CpuMeter(server, f"{args.server}/{args.database}")
                baseline, _ = fire(
                    port,
                    args.clients,
                    [Request("GET", "/health", kind="baseline")] * args.requests,
                    "baseline: GET /health",
                    meter=meter,
                )
                requests = mixed(args.requests, sessions, registrations, checkins, seed=workers)
                whole, kinds = fire(
                    port, args.clients, requests, f"mixed, {args.clients} clients", meter=meter
                )
                page = programme_request("nl")
                if args.generator == "wrk":
                    crowd = wrk(
                        port,
                        page.path,
                        f"programme, {args.crowd} back to back (wrk)",
                        connections=args.crowd,
                        seconds=args.seconds,
                        meter=meter,
                    )
                else:
                    crowd, _ = fire(
                        port,
                        args.crowd,
                        [page] * args.requests,
                        f"programme, {args.crowd} back to back",
                        meter=meter,
                    )
                # People reading: Python threads either way (at ~100 requests/s they cost
                # little), since wrk's delay() would also hold back a connection's first request.
                people = max(args.crowd * 4, int(args.crowd * 8 / max(args.think, 0.1)))
                browsing, _ = fire(
                    port,
                    args.crowd,
                    [page] * people,
                    f"programme, {args.crowd} reading",
                    think=args.think,
                    meter=meter,
                )
                runs = [baseline, whole, *kinds.values(), crowd, browsing]
                print(table(runs, baseline), flush=True)
                for run in runs:
                    bad = {s: n for s, n in run.statuses.items() if s >= 400}
                    if bad or run.errors:
                        failures.append(f"{workers} workers, {run.label}: {bad} {dict(run.errors)}")
                summary.append(
                    f"| {workers} | {baseline.rate:.0f} | {whole.rate:.0f} | "
                    + " | ".join(
                        f"{kinds[k].rate:.0f} ({kinds[k].percentile(50):.0f}/{kinds[k].percentile(99):.0f})"
                        for k in (
                            "programme page",
                            "personal page",
                            "registration (API)",
                            "check-in",
                        )
                        if k in kinds
                    )
                    + f" | {crowd.rate:.0f} ({crowd.percentile(50):.0f}/{crowd.percentile(99):.0f})"
                    + f" | {browsing.rate:.0f} ({browsing.percentile(50):.0f}/{browsing.percentile(99):.0f}) |"
                )
                time.sleep(1)
    finally:
        if not args.keep:
            drop_database(args.server, args.database)
    print(
        "\n| workers | baseline/s | mixed/s | programme/s (p50/p99 ms) | personal/s (p50/p99) "
        "| registration/s (p50/p99) | check-in/s (p50/p99) "
        "| programme, crowd back to back/s (p50/p99) | programme, crowd reading/s (p50/p99) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(summary))
    if "Traceback" in log.read_text(errors="replace"):
        failures.append(f"the server logged errors, see {log}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"\nOK: every request answered without error (server log {log})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
