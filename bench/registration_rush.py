"""The registration rush: many people register through the API the moment registration opens.

Serves the app with gunicorn on loopback against a throwaway PostgreSQL database, opens an
edition with fewer seats than people, and fires ``--requests`` registrations from
``--clients`` concurrent clients (threads, each with its own keep-alive connection). It
prints registrations per second and latency percentiles, next to a baseline measured in the
same run with the same clients: GET of the edition's programme page, a read-only page of
the same app. With each run it prints the CPU milliseconds per request used by the app
server, by PostgreSQL and by the clients (from /proc): the figure that holds on a shared
machine. A client is a thread sending its next request the moment the answer is in (a
closed loop without think time). Then it checks the outcome: every request got 201, exactly ``capacity``
registered and the rest on the waiting list (``ketenconf stats --json``), and one mail in
the outbox per registration.

    .venv/bin/python bench/registration_rush.py                       # 2,000 people, 64 clients
    .venv/bin/python bench/registration_rush.py --requests 500 --workers 2 --keep

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
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import (
    CpuMeter,
    Gunicorn,
    Request,
    drop_database,
    fire,
    ketenconf,
    production_env,
    python,
    recreate_database,
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
Edition.objects.create(
    series=series, slug={slug!r}, title="Ketenconferentie 2027", start_date=dt.date(2027, 4, 15),
    end_date=dt.date(2027, 4, 15), venue=venue, capacity={capacity},
    status=EditionStatus.REGISTRATION_OPEN, lead_organisation=Organisation.objects.get(name="IND"),
)
"""

OUTBOX = """
from ketenconf.mail.models import OutboxMessage
print(OutboxMessage.objects.filter(edition__slug={slug!r}).count())
"""


def registrations(count: int, offset: int = 0) -> list[Request]:
    headers = {"Content-Type": "application/json", "Accept-Language": "nl"}
    organisations = KNOWN * 3 + NEW
    out = []
    for n in range(offset, offset + count):
        body = {
            "name": f"Deelnemer {n}",
            "email": f"deelnemer{n}@example.org",
            "organisation": organisations[n % len(organisations)],
            "job_title": "Beleidsmedewerker",
            "networking_consent": n % 3 == 0,
        }
        out.append(
            Request(
                "POST", f"/api/v1/editions/{SLUG}/registrations", json.dumps(body).encode(), headers
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="registrations to send")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--capacity", type=int, default=600, help="seats in the edition")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="KETENCONF_DATABASE_CONN_MAX_AGE"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.requests <= args.capacity:
        parser.error("--requests must exceed --capacity, or there is no rush for the last seats")

    env = production_env(
        f"{args.server}/{args.database}",
        KETENCONF_DATABASE_CONN_MAX_AGE=str(args.conn_max_age),
        KETENCONF_RATELIMIT="off",
    )
    print(f"database {args.database}: create and migrate ...", flush=True)
    recreate_database(args.server, args.database)
    ketenconf(env, "migrate", "--noinput")
    python(env, SETUP.format(known=KNOWN, slug=SLUG, capacity=args.capacity))

    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = Gunicorn(
        env,
        workers=args.workers,
        threads=args.threads,
        log=Path(log.name),
        extra=["--worker-class", args.worker_class, "--keep-alive", "30"],
    )
    failures: list[str] = []
    try:
        server.start()
        port = server.port
        print(
            f"gunicorn {args.worker_class}: {args.workers} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", {os.cpu_count()} CPUs; {args.clients} clients; capacity {args.capacity};"
            f" {args.requests} registrations; load average before {os.getloadavg()[0]:.1f}"
            " (other processes share these CPUs: compare the ratios, not the absolute rates)",
            flush=True,
        )
        meter = CpuMeter(server, f"{args.server}/{args.database}")
        page = Request("GET", f"/{SLUG}/programme/", None, {"Accept-Language": "nl"})
        # Warm up every worker (imports, templates, connections) outside the measurement.
        fire(port, args.clients, [page] * (args.clients * 4), "warm-up")
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
            registrations(200, offset=args.requests),
            "one client, one at a time",
            meter=meter,
        )
        print(single.line(), flush=True)
        print(
            f"\nregistrations per second: {rush.rate:.1f} "
            f"({rush.rate / baseline.rate:.2f} x the programme page's {baseline.rate:.1f}/s; "
            f"{rush.rate / single.rate:.1f} x one client's {single.rate:.1f}/s)"
        )
        server_cpu = (rush.cpu["app"] + rush.cpu["PostgreSQL"]) / len(rush.latencies)
        cores = os.cpu_count() or 1
        print(
            f"CPU per registration in the rush: app {rush.cpu['app'] / args.requests * 1000:.2f}"
            f" ms + PostgreSQL {rush.cpu['PostgreSQL'] / args.requests * 1000:.2f} ms"
            f" (+ the clients {rush.cpu['clients'] / args.requests * 1000:.2f} ms): {cores}"
            f" cores give at most {cores / server_cpu:.0f} registrations/s with the clients"
            " elsewhere and nothing else running"
        )

        print(f"load average after {os.getloadavg()[0]:.1f}")
        stats = json.loads(ketenconf(env, "stats", SLUG, "--json"))
        mails = int(python(env, OUTBOX.format(slug=SLUG)).strip())
        total = args.requests + len(single.latencies)
        print(f"stats: {json.dumps(stats)}")
        print(f"outbox: {mails} mails for {total} registrations")
        if rush.statuses != Counter({201: args.requests}) or rush.errors:
            failures.append(
                f"not every registration got 201: {dict(rush.statuses)} {dict(rush.errors)}"
            )
        if stats["counts"]["registered"] != args.capacity or stats["seats_taken"] != args.capacity:
            failures.append(f"{stats['counts']['registered']} registered for {args.capacity} seats")
        if stats["counts"]["waitlisted"] != total - args.capacity:
            failures.append(
                f"{stats['counts']['waitlisted']} waitlisted, expected {total - args.capacity}"
            )
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
