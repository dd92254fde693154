"""The doors open: several doors scan badges at once, against the app server on PostgreSQL.

Serves the app with ``ketenconf serve`` (granian) on loopback against a throwaway PostgreSQL
database with an edition of ``--participants`` registrations (a plenary and two workshop rounds with a
published assignment), and has ``--doors`` door devices (threads, each on its own keep-alive
connection and logged in as door staff) scan every badge once, as htmx sends it from the
door page; a tenth of the badges is scanned again at another door, and a twentieth of the
scans is sent twice with the same scan number (a retry). It prints p50/p99 per scan next to
a baseline measured in the same run by the same clients: GET of the door page, and the app
server's CPU milliseconds per request of both (the figure that holds on a shared machine, where
latencies move with the load). Then it checks the outcome: one entry check-in per badge, every repeat answered "already", every
retry answered as the same scan.

Then it scans 100 badges five times in one process through Django's test client, without
the HTTP server and the client threads, and prints the least CPU per scan: the steadiest
figure to compare two versions of the code by. Last, it times making all badges as one PDF
(A6, front and back) the way the worker does.

    .venv/bin/python bench/checkin.py                      # 600 participants, 4 doors
    .venv/bin/python bench/checkin.py --participants 200 --doors 8 --keep

Needs PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432); the database
--database (default ketenconf_bench_checkin) is dropped and created afresh, and dropped at
the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import (
    LOGIN_SESSION,
    AppServer,
    CpuMeter,
    Outcome,
    Request,
    drop_database,
    fire,
    ketenconf,
    production_env,
    python,
    recreate_database,
)

SLUG = "doors-2027"

SETUP = """
import datetime as dt, json
from zoneinfo import ZoneInfo
from django.utils import timezone
from ketenconf.accounts.models import User
from ketenconf.allocation.models import Assignment, AssignmentRun
from ketenconf.team.models import EditionRole, Role
from ketenconf.checkin.tokens import badge_token
from ketenconf.events.models import Edition, EditionStatus, Organisation, OrganisationKind, Room, Series, Venue
from ketenconf.programme.models import Block, Session, Topic
from ketenconf.registration.models import Registration

tz = ZoneInfo("Europe/Amsterdam")
kinds = list(OrganisationKind.values)
orgs = [Organisation.objects.create(name=f"Organisatie {{n}}", short_name=f"ORG{{n}}", kind=kinds[n % len(kinds)]) for n in range(40)]
series = Series.objects.create(slug="doors", name="Ketenconferentie")
venue = Venue.objects.create(name="Jaarbeurs", city="Utrecht")
day = dt.date(2027, 4, 15)
edition = Edition.objects.create(
    series=series, slug={slug!r}, title="Ketenconferentie 2027", start_date=day, end_date=day,
    venue=venue, capacity={participants} + 50, status=EditionStatus.REGISTRATION_CLOSED,
    lead_organisation=orgs[0],
)
people = Registration.objects.bulk_create(
    Registration(edition=edition, email=f"deelnemer{{n}}@example.org", name=f"Deelnemer {{n}}",
                 organisation=orgs[n % len(orgs)], status="registered", confirmed_at=timezone.now(),
                 language="nl")
    for n in range({participants})
)
Edition.objects.filter(pk=edition.pk).update(seats_taken={participants})
hall = Room.objects.create(edition=edition, name="Grote zaal", capacity={participants} + 50)
rooms = [Room.objects.create(edition=edition, name=f"Zaal {{c}}", capacity={participants} // 5 + 10) for c in "ABCDEF"]
opening = Block.objects.create(edition=edition, kind="plenary", title="Opening",
    start=dt.datetime(2027, 4, 15, 9, 30, tzinfo=tz), end=dt.datetime(2027, 4, 15, 10, 15, tzinfo=tz))
keynote = Topic.objects.create(edition=edition, kind="keynote", title="Welkom")
Session.objects.create(edition=edition, topic=keynote, block=opening, room=hall)
run = AssignmentRun.objects.create(edition=edition, status="done", published_at=timezone.now())
for r, hour in enumerate([10, 13]):
    block = Block.objects.create(edition=edition, kind="round", title=f"Ronde {{r + 1}}",
        start=dt.datetime(2027, 4, 15, hour, 30, tzinfo=tz), end=dt.datetime(2027, 4, 15, hour + 1, 30, tzinfo=tz))
    sessions = []
    for i, room in enumerate(rooms):
        topic = Topic.objects.create(edition=edition, kind="workshop", title=f"Workshop {{r}}-{{i}}")
        sessions.append(Session.objects.create(edition=edition, topic=topic, block=block, room=room))
    Assignment.objects.bulk_create(
        Assignment(run=run, registration=p, block=block, session=sessions[(n + r) % len(sessions)], rank=1)
        for n, p in enumerate(people)
    )
staff = User.objects.create_user(username="deur", password="correct horse battery staple", is_staff=True)
EditionRole.objects.create(edition=edition, user=staff, role=Role.DOOR)
tokens = [badge_token(registration=p) for p in Registration.objects.filter(edition=edition).order_by("pk")]
print(json.dumps({{"session": login_session(staff), "tokens": tokens}}))
"""

COUNTS = """
from ketenconf.checkin.models import CheckIn
print(CheckIn.objects.filter(edition__slug={slug!r}, kind="entry").count())
"""

BADGES = """
import json, time
from ketenconf.checkin.models import BadgeBatch
from ketenconf.checkin.services import badge_batch_execute
from ketenconf.events.models import Edition
edition = Edition.objects.get(slug={slug!r})
batch = BadgeBatch.objects.create(edition=edition, format="a6", total={participants})
import resource
def children():  # CPU of the layout processes, once they have ended
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
wall, cpu, cpu_children = time.perf_counter(), time.process_time(), children()
badge_batch_execute(batch_id=batch.pk)
batch.refresh_from_db()
print(json.dumps({{"status": batch.status, "done": batch.done, "seconds": time.perf_counter() - wall,
                  "cpu": time.process_time() - cpu + children() - cpu_children,
                  "bytes": __import__("os").path.getsize(batch.file)}}))
"""


IN_PROCESS = """
import json, time
from django.test import Client
from ketenconf.accounts.models import User
from ketenconf.checkin.models import CheckIn
from ketenconf.checkin.tokens import badge_token
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration
edition = Edition.objects.get(slug={slug!r})
people = Registration.objects.filter(edition=edition).order_by("pk")[:100]
tokens = [badge_token(registration=p) for p in people]
client = Client(HTTP_ACCEPT_LANGUAGE="en")
client.force_login(User.objects.get(username="deur"))
url = "/checkin/{slug}/doors/1/"
client.get(url)
per_scan = []
for rep in range(5):
    CheckIn.objects.filter(edition=edition).delete()
    cpu = time.process_time()
    for n, token in enumerate(tokens):
        answer = client.post(url, {{"token": token, "nonce": f"cpu-{{rep}}-{{n:06d}}"}},
                             HTTP_HX_REQUEST="true")
        assert answer.status_code == 200 and b'data-outcome="welcome"' in answer.content
    per_scan.append((time.process_time() - cpu) / len(tokens) * 1000)
print(json.dumps(per_scan))
"""


def headers(session: str, csrf: str) -> dict[str, str]:
    return {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept-Language": "en",
    }


def scans(
    tokens: list[str], *, doors: int, session: str, csrf: str, seed: int
) -> tuple[list[Request], int, int]:
    """Every badge once at a random door; some again at another door; some scans sent twice."""
    pick = random.Random(seed)
    plan: list[tuple[str, str, str]] = []  # token, door, nonce
    for token in tokens:
        plan.append((token, str(pick.randrange(doors) + 1), secrets.token_hex(12)))
    repeats = pick.sample(range(len(tokens)), len(tokens) // 10)
    for index in repeats:  # the same badge again later, another scan number
        plan.append((tokens[index], str(pick.randrange(doors) + 1), secrets.token_hex(12)))
    retries = pick.sample(range(len(tokens)), len(tokens) // 20)
    for index in retries:  # the same scan sent again (a retry)
        plan.append(plan[index])
    first, rest = plan[: len(tokens)], plan[len(tokens) :]
    pick.shuffle(rest)
    ordered = first + rest
    h = headers(session, csrf)
    requests = [
        Request(
            "POST",
            f"/checkin/{SLUG}/doors/{door}/",
            urlencode({"token": token, "nonce": nonce}).encode(),
            h,
            "scan",
        )
        for token, door, nonce in ordered
    ]
    return requests, len(repeats), len(retries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--doors", type=int, default=4, help="door devices scanning at once")
    parser.add_argument("--workers", type=int, default=2, help="app-server worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_bench_checkin")
    parser.add_argument("--no-badges", action="store_true", help="leave out the badge PDF")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    env = production_env(f"{args.server}/{args.database}")
    print(f"database {args.database}: create and migrate ...", flush=True)
    recreate_database(args.server, args.database)
    ketenconf(env, "migrate", "--noinput")
    setup = json.loads(
        python(
            env, LOGIN_SESSION + SETUP.format(slug=SLUG, participants=args.participants)
        ).splitlines()[-1]
    )
    session, tokens = setup["session"], setup["tokens"]
    csrf = secrets.token_hex(16)

    log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)  # noqa: SIM115
    server = AppServer(
        env,
        workers=args.workers,
        threads=args.threads,
        log=Path(log.name),
    )
    failures: list[str] = []
    try:
        server.start()
        port = server.port
        print(
            f"ketenconf serve (granian): {args.workers} workers x {args.threads} threads, "
            f"{os.cpu_count()} CPUs; {args.doors} doors; {args.participants} participants; "
            f"load average before {os.getloadavg()[0]:.1f} (other processes share these CPUs: "
            "compare the ratios, not the absolute times)",
            flush=True,
        )
        meter = CpuMeter(server, f"{args.server}/{args.database}")
        page = Request("GET", f"/checkin/{SLUG}/doors/1/", None, headers(session, csrf), "page")
        fire(port, args.doors, [page] * (args.doors * 10), "warm-up")
        baseline, _ = fire(
            port, args.doors, [page] * args.participants, "baseline: GET door page", meter=meter
        )
        print(baseline.line(), flush=True)
        requests, repeats, retries = scans(
            tokens, doors=args.doors, session=session, csrf=csrf, seed=2027
        )
        kept: list[Outcome] = []
        run, _ = fire(port, args.doors, requests, "scans: POST badge code", keep=kept, meter=meter)
        print(run.line(), flush=True)
        print(
            f"\nper scan: p50 {run.percentile(50):.1f} ms, p99 {run.percentile(99):.1f} ms "
            f"({run.percentile(50) / baseline.percentile(50):.2f} x and "
            f"{run.percentile(99) / baseline.percentile(99):.2f} x the door page's "
            f"p50 {baseline.percentile(50):.1f} / p99 {baseline.percentile(99):.1f} ms); "
            f"target p99 < 100 ms"
        )
        app_ms = {
            name: one.cpu.get("app", 0.0) / max(len(one.latencies), 1) * 1000
            for name, one in (("scan", run), ("page", baseline))
        }
        print(
            f"app server CPU per request (steady under load): scan {app_ms['scan']:.2f} ms, "
            f"door page {app_ms['page']:.2f} ms ({app_ms['scan'] / app_ms['page']:.2f} x)"
            if app_ms["page"]
            else "app server CPU per request: not measured (needs Linux)"
        )
        answers = Counter()
        for outcome in kept:
            text = outcome.body.decode(errors="replace")
            for kind in ("welcome", "already", "repeated"):
                if f'data-outcome="{kind}"' in text:
                    answers[kind] += 1
                    break
            else:
                answers[f"status {outcome.status}"] += 1
        print(f"answers: {dict(answers)} ({repeats} badges scanned again, {retries} scans resent)")
        entries = int(python(env, COUNTS.format(slug=SLUG)).strip())
        print(f"entry check-ins: {entries} for {len(tokens)} badges")
        print(f"load average after {os.getloadavg()[0]:.1f}")
        if run.statuses != Counter({200: len(requests)}) or run.errors:
            failures.append(f"not every scan got 200: {dict(run.statuses)} {dict(run.errors)}")
        if entries != len(tokens):
            failures.append(f"{entries} entry check-ins for {len(tokens)} badges")
        # A resent scan of a badge that was also scanned again may come after the repeat:
        # either way it is answered as the same scan ("repeated").
        expected = Counter(welcome=len(tokens), already=repeats, repeated=retries)
        if answers != expected:
            failures.append(f"answers {dict(answers)}, expected {dict(expected)}")
    finally:
        server.stop()

    # The same scan without HTTP server or client threads: the Django test client in one
    # process, 5 x 100 scans on fresh check-ins; the least CPU per scan is the steadiest figure.
    per_scan = json.loads(
        python(
            {**env, "KETENCONF_ALLOWED_HOSTS": "testserver"}, IN_PROCESS.format(slug=SLUG)
        ).splitlines()[-1]
    )
    print(
        f"in process (Django test client): CPU per scan {min(per_scan):.2f} ms at the least "
        f"({', '.join(f'{ms:.2f}' for ms in per_scan)})",
        flush=True,
    )

    if not args.no_badges:
        # The same batch laid out by one process (the baseline) and by the default number of
        # processes side by side (KETENCONF_BADGE_PROCESSES), in this run.
        walls = {}
        for processes in ("1", os.environ.get("KETENCONF_BADGE_PROCESSES", "")):
            label = f"{processes} process" if processes == "1" else "default processes"
            print(
                f"\nbadges: {args.participants} A6 badges (front and back) in one PDF, {label} ...",
                flush=True,
            )
            badge_env = {**env, "KETENCONF_BADGE_PROCESSES": processes} if processes else env
            made = json.loads(
                python(
                    badge_env, BADGES.format(slug=SLUG, participants=args.participants)
                ).splitlines()[-1]
            )
            walls[label] = made["seconds"]
            print(
                f"badges: {made['done']} made in {made['seconds']:.1f} s wall, "
                f"{made['cpu']:.1f} s CPU with the layout processes "
                f"({made['bytes'] / 1e6:.1f} MB); target under 30 s; load average "
                f"{os.getloadavg()[0]:.1f}"
            )
            if made["status"] != "done" or made["done"] != args.participants:
                failures.append(f"badges: {made}")
        if len(walls) == 2:
            print(
                f"badges: default processes take {walls['default processes'] / walls['1 process']:.2f}"
                " of the time of one process"
            )
    if not args.keep:
        drop_database(args.server, args.database)
    errors = Path(log.name).read_text()
    if "Traceback" in errors:
        failures.append(f"the server logged errors, see {log.name}")
    else:
        os.unlink(log.name)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nOK: one entry check-in per badge; repeats answered 'already', retries counted once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
