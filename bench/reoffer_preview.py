"""How long the day's re-offer preview takes through the back-office, database included.

Builds an edition in a throwaway SQLite database (or the one ``KETENCONF_DATABASE_URL``
names): ``--participants`` registrations ranking five of ten workshops, ``--rounds`` workshop
rounds of ten sessions with a tenth more seats than participants, a published assignment
solved by the engine, and everyone checked in but ``--absent`` of them (a share). Then times
``reoffer_preview`` (snapshot, input, engine, moves and figures) from round 1 and from round 2,
``--repeat`` times each, and prints the figures of the last preview, the wall-clock and CPU
seconds (the CPU seconds are the figure to compare on a shared machine) and the load::

    .venv/bin/python bench/reoffer_preview.py                          # 600 × 3, 15 % absent
    .venv/bin/python bench/reoffer_preview.py --participants 2000 --rounds 4

Nothing is published by the previews. The engine's own bench of the day (``bench/reoffer.py``)
compares the re-offer with a waiting list; this one measures what an organiser waits for.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--absent", type=float, default=0.15)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="reoffer-bench-")
    os.environ.setdefault("KETENCONF_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("KETENCONF_VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenconf.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ketenconf.core.tenancy import scopes_disabled

    with scopes_disabled():
        run(args)


def run(args: argparse.Namespace) -> None:
    edition = build(args)
    from ketenconf.allocation import services

    for before_round in (1, 2):
        times = []
        cpu = []
        preview = None
        for _ in range(args.repeat):
            started, began = time.perf_counter(), time.process_time()
            preview = services.reoffer_preview(edition=edition, before_round=before_round, by=None)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - began)
        assert preview is not None
        total = preview.figures.get("total", {})
        print(
            f"{args.participants} participants × {args.rounds} rounds, "
            f"{args.absent:.0%} absent, from round {before_round}: "
            f"preview {min(times):.2f} s fastest, {statistics.mean(times):.2f} s mean, "
            f"{min(cpu):.2f} s of CPU fastest "
            f"(engine {preview.result['metrics']['seconds'] if preview.result else '-'} s); "
            f"status {preview.status}; freed {total.get('freed')}, refilled "
            f"{total.get('refilled')}, upgrades {total.get('upgrades')} "
            f"(+{total.get('ranks_gained')} ranks), empty {total.get('empty')}, "
            f"worse off {preview.figures.get('worse_off')}; "
            f"load average {os.getloadavg()[0]:.1f}"
        )


def build(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    from ketenconf.allocation import services
    from ketenconf.checkin.models import CheckIn, CheckInKind
    from ketenconf.events.models import Edition, Organisation, Room, Series, Venue
    from ketenconf.programme.models import Block, BlockKind, Session, Topic
    from ketenconf.registration.models import Preference, Registration

    rng = random.Random(args.seed)
    lead = Organisation.objects.create(name="Bench", short_name="B")
    series = Series.objects.create(name="Bench", slug="bench")
    venue = Venue.objects.create(name="Zaal", city="Utrecht")
    day = timezone.localdate() + dt.timedelta(days=30)
    edition = Edition.objects.create(
        series=series,
        slug="bench",
        title_nl="Bench",
        title_en="Bench",
        start_date=day,
        end_date=day,
        venue=venue,
        capacity=args.participants,
        lead_organisation=lead,
        status="published",
    )
    organisations = [
        Organisation.objects.create(name=f"Organisatie {n}", short_name=f"O{n}") for n in range(30)
    ]
    per_session = -(-args.participants * 11 // 10 // 10)
    topics = [
        Topic.objects.create(edition=edition, title_nl=f"Workshop {n}", title_en=f"Workshop {n}")
        for n in range(10)
    ]
    rooms = [
        Room.objects.create(edition=edition, name=f"Zaal {n}", capacity=per_session)
        for n in range(10)
    ]
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    for number in range(args.rounds):
        block = Block.objects.create(
            edition=edition,
            kind=BlockKind.ROUND,
            title_nl=f"Ronde {number + 1}",
            title_en=f"Round {number + 1}",
            start=start + dt.timedelta(hours=2 * number),
            end=start + dt.timedelta(hours=2 * number + 1),
        )
        for n in range(10):
            Session.objects.create(
                edition=edition, block=block, topic=topics[(n + number) % 10], room=rooms[n]
            )
    registrations = Registration.objects.bulk_create(
        Registration(
            edition=edition,
            email=f"p{n}@example.org",
            name=f"Deelnemer {n}",
            organisation=rng.choice(organisations),
            status="registered",
            wants_better_seat=rng.random() > 0.1,
        )
        for n in range(args.participants)
    )
    weights = [1.0 / (k + 1) for k in range(10)]
    rows = []
    for registration in registrations:
        chosen: list[Topic] = []
        while len(chosen) < 5:
            topic = rng.choices(topics, weights)[0]
            if topic not in chosen:
                chosen.append(topic)
        rows += [
            Preference(registration=registration, topic=topic, rank=rank)
            for rank, topic in enumerate(chosen, start=1)
        ]
    Preference.objects.bulk_create(rows)
    run = services.assignment_run_start(edition=edition, by=None, time_limit=60)
    services.assignment_run_publish(run=run, by=None)
    present = [r for r in registrations if rng.random() >= args.absent]
    now = timezone.now()
    CheckIn.objects.bulk_create(
        CheckIn(
            edition=edition,
            registration=r,
            kind=CheckInKind.ENTRY,
            at=now,
            nonce=f"bench-{r.pk}-entry",
        )
        for r in present
    )
    print(
        f"built: {len(registrations)} registrations, {len(present)} checked in, run {run.pk} "
        f"({run.status}, objective {run.objective})"
    )
    return edition


if __name__ == "__main__":
    main()
