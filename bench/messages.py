"""A message to 10,000 participants: how long queueing it takes, and what a batch costs.

Drops and creates a throwaway PostgreSQL database, migrates it, and writes an edition with
``--participants`` (10,000) registered participants, half of them reading English. Then, in
one process:

- the baseline: the path every other mail takes (``mail_enqueue``, one row and one delivery
  task per mail, the templates rendered per mail) for ``--baseline`` (1,000) of them, in one
  transaction, rolled back;
- the message: ``message_send`` to everyone with a seat (the first batch in the call, as the
  page does) and ``message_queue`` for the rest (as the worker does), timed together, with
  the queries of the whole and of one batch;
- the queries of one batch at 100 and at 500 people, to show they do not grow with its size.

It prints seconds, mails per second and queries, and the message's time per mail against the
baseline's (the ratio holds on a shared machine, where absolute times move with the load).
Nothing is sent: no worker runs.

    .venv/bin/python bench/messages.py
    .venv/bin/python bench/messages.py --participants 2000 --keep

Needs PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432); the database
--database (default ketenconf_bench_messages) is dropped and created afresh, and dropped at
the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import drop_database, ketenconf, production_env, python, recreate_database

MEASURE = """
import datetime as dt, json, time
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from ketenconf.events.models import Edition, EditionStatus, Organisation, Series, Venue
from ketenconf.mail.models import OutboxMessage
from ketenconf.mail.services import mail_enqueue
from ketenconf.messaging import services
from ketenconf.messaging.models import Message
from ketenconf.registration.models import Registration

organisation = Organisation.objects.create(name="Organisatie", short_name="ORG", kind="ngo")
day = dt.date(2027, 4, 15)
edition = Edition.objects.create(
    series=Series.objects.create(slug="bench", name="Ketenconferentie"), slug="bench-2027",
    title="Ketenconferentie 2027", start_date=day, end_date=day,
    venue=Venue.objects.create(name="Jaarbeurs", city="Utrecht"), capacity={participants},
    status=EditionStatus.REGISTRATION_CLOSED, lead_organisation=organisation,
)
Registration.objects.bulk_create(
    Registration(edition=edition, email=f"p{{n}}@example.org", name=f"Deelnemer {{n}}",
                 organisation=organisation, status="registered", language="en" if n % 2 else "nl")
    for n in range({participants})
)
TEXTS = dict(subject_nl="Route naar de zaal", subject_en="How to find the room",
             body_nl="Beste deelnemer,\\n\\nDe zaal is op de eerste verdieping. " * 5,
             body_en="Dear participant,\\n\\nThe room is on the first floor. " * 5)
out = {{}}

# The baseline: one mail at a time, as every other mail of the platform.
people = list(Registration.objects.filter(edition=edition).order_by("pk")[:{baseline}])
with CaptureQueriesContext(connection) as queries:
    started = time.perf_counter()
    with transaction.atomic():
        for r in people:
            mail_enqueue(to=r.email, template="messaging/mail/message", language=r.language,
                         context={{"edition": edition, "subject": TEXTS["subject_nl"],
                                  "body": TEXTS["body_nl"]}}, edition=edition)
        out["baseline_seconds"] = time.perf_counter() - started
        transaction.set_rollback(True)
out["baseline_mails"] = len(people)
out["baseline_queries"] = len(queries)

# Queries of one batch, at two sizes.
for size in (100, 500):
    services.BATCH = size
    with transaction.atomic():
        message = Message.objects.create(edition=edition, group="registered", recipients=size,
                                         **TEXTS)
        with CaptureQueriesContext(connection) as queries:
            services._queue_batch(message.pk)
        out[f"queries_batch_{{size}}"] = len(queries)
        transaction.set_rollback(True)
services.BATCH = 500

# The message to everyone.
with CaptureQueriesContext(connection) as queries:
    started = time.perf_counter()
    message = services.message_send(edition=edition, group="registered", by=None, **TEXTS)
    first = time.perf_counter() - started
    services.message_queue(message_id=message.pk)
    out["message_seconds"] = time.perf_counter() - started
out["first_batch_seconds"] = first
out["message_queries"] = len(queries)
message.refresh_from_db()
out["message_recipients"] = message.recipients
out["outbox_rows"] = OutboxMessage.objects.filter(edition=edition).count()
out["batches"] = -(-message.recipients // services.BATCH)
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_bench_messages")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    recreate_database(args.server, args.database)
    env = production_env(f"{args.server}/{args.database}")
    try:
        ketenconf(env, "migrate", "--no-input", "-v", "0")
        code = MEASURE.format(participants=args.participants, baseline=args.baseline)
        found = json.loads(python(env, code).strip().splitlines()[-1])
    finally:
        if not args.keep:
            drop_database(args.server, args.database)

    per_mail = found["message_seconds"] / found["message_recipients"]
    baseline_per_mail = found["baseline_seconds"] / found["baseline_mails"]
    print(f"participants                 {found['message_recipients']:,}")
    print(f"outbox rows written          {found['outbox_rows']:,}")
    print(
        f"message queued in            {found['message_seconds']:.2f} s "
        f"({found['message_recipients'] / found['message_seconds']:,.0f} mails/s; "
        f"first batch in the call {found['first_batch_seconds']:.2f} s)"
    )
    print(
        f"queries                      {found['message_queries']} for "
        f"{found['batches']} batches of 500"
    )
    print(
        f"queries of one batch         {found['queries_batch_100']} at 100 people, "
        f"{found['queries_batch_500']} at 500"
    )
    print(
        f"baseline (mail_enqueue)      {found['baseline_mails']:,} mails in "
        f"{found['baseline_seconds']:.2f} s, {found['baseline_queries']} queries"
    )
    print(f"time per mail, message / baseline   {per_mail / baseline_per_mail:.3f}")


if __name__ == "__main__":
    main()
