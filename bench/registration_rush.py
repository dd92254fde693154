"""The registration rush: many people register through the API the moment registration opens.

Serves the app with ``ketenconf serve`` (granian) on loopback against a throwaway PostgreSQL
database, opens an edition with fewer seats than people, and has ``--clients`` concurrent
clients (each with its own keep-alive connection) register back to back. It
prints registrations per second and latency percentiles, next to a baseline measured in the
same run with the same clients: GET of the edition's programme page, a read-only page of
the same app. With each run it prints the CPU milliseconds per request used by the app
server, by PostgreSQL and by the clients (from /proc): the figure that holds on a shared
machine. A client is a thread sending its next request the moment the answer is in (a
closed loop without think time). Then it checks the outcome: every request got 201, exactly ``capacity``
registered and the rest on the waiting list (``ketenconf stats --json``), and one mail in
the outbox per registration.

    .venv/bin/python bench/registration_rush.py                       # wrk, 64 clients, 10 s
    .venv/bin/python bench/registration_rush.py --generator threads   # 2,000 from Python threads
    .venv/bin/python bench/registration_rush.py --requests 500 --workers 2 --keep
    .venv/bin/python bench/registration_rush.py --questions   # with registration questions

The clients are driven by ``--generator``: ``wrk`` (Debian's wrk, one C thread, each request
a new person made by a Lua script; the default when installed) for ``--seconds``, or
``threads`` (Python threads sending ``--requests``), which take a good share of the same two
cores as the server. With wrk the run ends at a time rather than after a count, so the few
registrations in flight at the end are in the database without an answer counted: the check
then allows up to ``--clients`` more registrations than answers, never fewer.

Needs PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432); the database
--database (default ketenconf_bench) is dropped and created afresh, and dropped at the end
unless --keep. Mail is only written to the outbox: no worker runs, nothing is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import (
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

SLUG = "rush-2027"

# Organisations people type: most exist already, some are new and typed by many at once.
KNOWN = ["IND", "COA", "DT&V", "VNG", "Politie", "VluchtelingenWerk", "Ministerie van JenV"]
NEW = ["Gemeente Oss", "Gemeente Zwolle", "Stichting Nieuw Thuis", "Gemeente Venlo"]

SETUP = """
import datetime as dt
from ketenconf.events.models import Edition, EditionStatus, Organisation, Series, Venue
for name in {known!r}:
    Organisation.objects.get_or_create(name=name, defaults={{"short_name": name, "kind": "other"}})
series, _ = Series.objects.get_or_create(slug="rush", defaults={{"name": "Ketenconferentie"}})
venue, _ = Venue.objects.get_or_create(name="Jaarbeurs", city="Utrecht")
Edition.objects.filter(slug={slug!r}).delete()
edition = Edition.objects.create(
    series=series, slug={slug!r}, title="Ketenconferentie 2027", start_date=dt.date(2027, 4, 15),
    end_date=dt.date(2027, 4, 15), venue=venue, capacity={capacity},
    status=EditionStatus.REGISTRATION_OPEN, lead_organisation=Organisation.objects.get(name="IND"),
)
"""

#: With --questions: the two default questions and a required choice, as a new edition has.
QUESTIONS_SETUP = """
from ketenconf.core.tenancy import edition_scope
from ketenconf.questions.services import question_create, questions_add_defaults
with edition_scope(edition):
    questions_add_defaults(edition=edition)
    question_create(
        edition=edition, kind="choice", key="lunch", text_nl="Lunch", text_en="Lunch",
        required=True,
        options=[{"nl": "Vegetarisch", "en": "Vegetarian"}, {"nl": "Vlees", "en": "Meat"}],
    )
"""
#: What each person answers with --questions.
ANSWERS = {"lunch": "vlees", "dietary_needs": "geen noten"}

OUTBOX = """
from ketenconf.mail.models import OutboxMessage
print(OutboxMessage.objects.filter(edition__slug={slug!r}).count())
"""


HEADERS = {"Content-Type": "application/json", "Accept-Language": "nl"}
PATH = f"/api/v1/editions/{SLUG}/registrations"
ORGANISATIONS = KNOWN * 3 + NEW


WITH_ANSWERS = False  # set from --questions


def person(n: int) -> dict[str, object]:
    return {
        "name": f"Deelnemer {n}",
        "email": f"deelnemer{n}@example.org",
        "organisation": ORGANISATIONS[n % len(ORGANISATIONS)],
        "job_title": "Beleidsmedewerker",
        "networking_consent": n % 3 == 0,
        **({"answers": ANSWERS} if WITH_ANSWERS else {}),
    }


def registrations(count: int, offset: int = 0) -> list[Request]:
    return [
        Request("POST", PATH, json.dumps(person(n)).encode(), HEADERS)
        for n in range(offset, offset + count)
    ]


def registrations_lua(offset: int) -> str:
    """wrk's ``request()``: the same people as ``registrations()``, numbered from ``offset``
    (plus a million per wrk thread), each body made as the request goes out."""
    # The bodies differ only in the number: split a model body around it.
    model = json.dumps(person(0)).replace('"deelnemer0@', '"deelnemer%d@')
    model = model.replace('"Deelnemer 0"', '"Deelnemer %d"')
    organisation = json.dumps(ORGANISATIONS[0])
    model = model.replace(f'"organisation": {organisation}', '"organisation": %s')
    model = model.replace('"networking_consent": true', '"networking_consent": %s')
    names = ", ".join("[[" + json.dumps(name) + "]]" for name in ORGANISATIONS)
    headers = "\n".join(f"wrk.headers[ [[{k}]] ] = [[{v}]]" for k, v in HEADERS.items())
    return f"""
wrk.method = "POST"
{headers}
local organisations = {{{names}}}
local counter = 0
function request()
  local n = {offset} + id * 1000000 + counter
  counter = counter + 1
  local consent = (n % 3 == 0) and "true" or "false"
  local body = string.format([[{model}]], n, n, organisations[n % #organisations + 1], consent)
  return wrk.format(nil, nil, nil, body)
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--generator",
        choices=["wrk", "threads"],
        default="wrk" if WRK else "threads",
        help="what drives the clients (default: wrk when installed)",
    )
    parser.add_argument("--seconds", type=float, default=10, help="length of a run under wrk")
    parser.add_argument(
        "--requests", type=int, default=2000, help="registrations to send (threads)"
    )
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--capacity", type=int, default=600, help="seats in the edition")
    parser.add_argument("--workers", type=int, default=2, help="app-server worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="KETENCONF_DATABASE_CONN_MAX_AGE"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--questions",
        action="store_true",
        help="the edition has the two default questions and a required choice, and everyone "
        "answers two of them",
    )
    args = parser.parse_args()
    global WITH_ANSWERS
    WITH_ANSWERS = args.questions
    if args.generator == "threads" and args.requests <= args.capacity:
        parser.error("--requests must exceed --capacity, or there is no rush for the last seats")

    env = production_env(
        f"{args.server}/{args.database}",
        KETENCONF_DATABASE_CONN_MAX_AGE=str(args.conn_max_age),
        KETENCONF_RATELIMIT="off",
    )
    print(f"database {args.database}: create and migrate ...", flush=True)
    recreate_database(args.server, args.database)
    ketenconf(env, "migrate", "--noinput")
    python(
        env,
        SETUP.format(known=KNOWN, slug=SLUG, capacity=args.capacity)
        + (QUESTIONS_SETUP if args.questions else ""),
    )

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
            f"ketenconf serve (granian): {args.workers} workers x {args.threads} threads"
            + f", {os.cpu_count()} CPUs; {args.clients} clients; capacity {args.capacity}; "
            + (
                f"wrk for {args.seconds:g} s"
                if args.generator == "wrk"
                else f"{args.requests} registrations from threads"
            )
            + f"; load average before {os.getloadavg()[0]:.1f}"
            " (other processes share these CPUs: compare the ratios, not the absolute rates)",
            flush=True,
        )
        meter = CpuMeter(server, f"{args.server}/{args.database}")
        page = Request("GET", f"/{SLUG}/programme/", None, {"Accept-Language": "nl"})
        # Warm up every worker (imports, templates, connections) outside the measurement.
        fire(port, args.clients, [page] * (args.clients * 4), "warm-up")
        rush: Run
        if args.generator == "wrk":
            baseline = wrk(
                port,
                page.path,
                "baseline: GET programme",
                connections=args.clients,
                seconds=args.seconds,
                meter=meter,
            )
            print(baseline.line(), flush=True)
            rush = wrk(
                port,
                PATH,
                "rush: POST registration",
                connections=args.clients,
                seconds=args.seconds,
                meter=meter,
                script=registrations_lua(offset=10 * 1000 * 1000),
            )
        else:
            baseline, _ = fire(
                port, args.clients, [page] * args.requests, "baseline: GET programme", meter=meter
            )
            print(baseline.line(), flush=True)
            rush, _ = fire(
                port,
                args.clients,
                registrations(args.requests),
                "rush: POST registration",
                meter=meter,
            )
        print(rush.line(), flush=True)
        single, _ = fire(
            port,
            1,
            registrations(200, offset=5 * 1000 * 1000),
            "one client, one at a time",
            meter=meter,
        )
        print(single.line(), flush=True)
        print(
            f"\nregistrations per second: {rush.rate:.1f} "
            f"({rush.rate / baseline.rate:.2f} x the programme page's {baseline.rate:.1f}/s; "
            f"{rush.rate / single.rate:.1f} x one client's {single.rate:.1f}/s)"
        )
        server_cpu = (rush.cpu["app"] + rush.cpu["PostgreSQL"]) / rush.count
        cores = os.cpu_count() or 1
        print(
            f"CPU per registration in the rush: app {rush.cpu['app'] / rush.count * 1000:.2f}"
            f" ms + PostgreSQL {rush.cpu['PostgreSQL'] / rush.count * 1000:.2f} ms"
            f" (+ the clients {rush.cpu['clients'] / rush.count * 1000:.2f} ms): {cores}"
            f" cores give at most {cores / server_cpu:.0f} registrations/s with the clients"
            " elsewhere and nothing else running"
        )

        print(f"load average after {os.getloadavg()[0]:.1f}")
        stats = json.loads(ketenconf(env, "stats", SLUG, "--json"))
        mails = int(python(env, OUTBOX.format(slug=SLUG)).strip())
        answered = rush.count + single.count
        # wrk stops at a time: registrations it sent last may be in without an answer counted.
        in_flight = args.clients if args.generator == "wrk" else 0
        counts = stats["counts"]
        total = counts["registered"] + counts["waitlisted"]
        print(f"stats: {json.dumps(stats)}")
        print(f"outbox: {mails} mails for {total} registrations ({answered} answered)")
        if set(rush.statuses) != {201} or rush.errors:
            failures.append(
                f"not every registration got 201: {dict(rush.statuses)} {dict(rush.errors)}"
            )
        if set(single.statuses) != {201}:
            failures.append(f"not every registration got 201: {dict(single.statuses)}")
        if counts["registered"] != args.capacity or stats["seats_taken"] != args.capacity:
            failures.append(f"{counts['registered']} registered for {args.capacity} seats")
        if not answered <= total <= answered + in_flight:
            failures.append(f"{total} registrations in the database for {answered} answered")
        if mails != total:
            failures.append(f"{mails} mails in the outbox for {total} registrations")
    finally:
        server.stop()
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
    print("\nOK: no overbooking, every request got 201, one mail per registration")
    return 0


if __name__ == "__main__":
    sys.exit(main())
