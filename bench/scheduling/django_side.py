"""The Django side of the scheduler end to end, on a generated instance: load an
exhibition-data/2 file into the database (directly, with bulk inserts), then time
`load_instance` (and count its queries), run `schedule_meetings SLUG --seconds S` (the Celery
task, eager here), write `export_schedule SLUG` and check it with check.py, which imports
nothing from the app.

    /work/venv/bin/python bench/scheduling/generate.py large --seed 1 -o /tmp/large-1.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fl_bench \\
      /work/venv/bin/python bench/scheduling/django_side.py /tmp/large-1.json --seconds 20

Use a database of its own: the script deletes the exhibition of the file's slug first.
"""

import argparse
import datetime
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from companies.models import Company, Cooperative  # noqa: E402
from exhibitions.meetings import services as meeting_services  # noqa: E402
from exhibitions.models import (  # noqa: E402
    Booth,
    BuyerRegistration,
    Exhibition,
    ExhibitorApplication,
    Hall,
    Interpreter,
    Meeting,
    MeetingTable,
    Slot,
    Wish,
)
from exhibitions.scheduling.loading import load_instance  # noqa: E402


def t(value):
    return datetime.time.fromisoformat(value)


@transaction.atomic
def load_file(data):
    """Insert the file's exhibition, companies, participations, pool, wishes and accepted
    meetings; returns the exhibition."""
    spec = data["exhibitions"][0]
    Meeting.objects.filter(exhibition__slug=spec["slug"]).delete()  # their slots are protected
    Exhibition.objects.filter(slug=spec["slug"]).delete()
    cooperative = Cooperative.objects.first() or Cooperative.objects.create(name_en="Bench cooperative")
    exhibition = Exhibition.objects.create(
        slug=spec["slug"],
        cooperative=cooperative,
        title_en=spec["title"]["en"],
        city=spec["city"],
        country=spec["country"],
        timezone=spec["timezone"],
        starts_on=datetime.date.fromisoformat(spec["starts_on"]),
        ends_on=datetime.date.fromisoformat(spec["ends_on"]),
        status="open",
        meeting_slot_minutes=spec["meetings"]["slot_minutes"],
    )
    for day in spec["meetings"]["days"]:
        date = datetime.date.fromisoformat(day["date"])
        meeting_services.meeting_hours_set(
            exhibition=exhibition, day=date, starts=t(day["starts"]), ends=t(day["ends"])
        )
        for pause in day.get("breaks", []):
            meeting_services.meeting_break_add(
                exhibition=exhibition, day=date, starts=t(pause["starts"]), ends=t(pause["ends"])
            )
    meeting_services.slots_generate(exhibition=exhibition)
    meeting_services.meeting_tables_set(exhibition=exhibition, count=spec["meetings"]["tables"])

    refs = [c["ref"] for c in data["companies"]]
    Company.objects.filter(ref__in=refs).delete()
    Company.objects.bulk_create(
        [
            Company(
                ref=c["ref"],
                kind=c["role"],
                name_en=c["name"].get("en", c["ref"]),
                country=c["country"],
                city=c.get("city", ""),
                languages=" ".join(c.get("languages", [])),
                status="approved",
            )
            for c in data["companies"]
        ]
    )
    companies = {c.ref: c for c in Company.objects.filter(ref__in=refs)}
    hall = Hall.objects.create(exhibition=exhibition, name="Hall 1")
    booths = {}
    participations = [p for p in data["participations"] if p["exhibition"] == exhibition.slug]
    for n, p in enumerate(participations):
        if p.get("booth"):
            booths[p["booth"]] = Booth(exhibition=exhibition, hall=hall, code=p["booth"], x=n % 40, y=n // 40)
    Booth.objects.bulk_create(booths.values())
    booths = {b.code: b for b in Booth.objects.filter(exhibition=exhibition)}
    applications, registrations = [], []
    for p in participations:
        company = companies[p["company"]]
        languages = " ".join(p.get("languages", []))
        if company.kind == "exhibitor":
            applications.append(
                ExhibitorApplication(
                    exhibition=exhibition,
                    company=company,
                    status="approved",
                    booth=booths.get(p.get("booth")),
                    parallel_meetings=p.get("parallel_meetings", 1),
                    stand_languages=languages,
                )
            )
        else:
            registrations.append(
                BuyerRegistration(
                    exhibition=exhibition,
                    company=company,
                    status="approved",
                    visit_days=p.get("visit_days", []),
                    languages=languages,
                )
            )
    ExhibitorApplication.objects.bulk_create(applications)
    BuyerRegistration.objects.bulk_create(registrations)
    Interpreter.objects.bulk_create(
        [
            Interpreter(
                exhibition=exhibition,
                ref=i["ref"],
                name=i["name"],
                languages=" ".join(i["languages"]),
                days=i.get("days", []),
            )
            for i in data.get("interpreters", [])
            if i["exhibition"] == exhibition.slug
        ]
    )
    Wish.objects.bulk_create(
        [
            Wish(
                exhibition=exhibition,
                buyer=companies[w["buyer"]],
                exhibitor=companies[w["exhibitor"]],
                by=w["by"],
                priority=w["priority"],
            )
            for w in data.get("wishes", [])
            if w["exhibition"] == exhibition.slug
        ]
    )
    slots = {s.starts_at: s for s in Slot.objects.filter(exhibition=exhibition)}
    tables = {f"table-{t.number}": t for t in MeetingTable.objects.filter(exhibition=exhibition)}
    interpreters = {i.ref: i for i in Interpreter.objects.filter(exhibition=exhibition)}
    for m in data.get("meetings", []):
        if m["exhibition"] != exhibition.slug or m["status"] != "accepted":
            continue
        slot = slots[datetime.datetime.fromisoformat(m["starts_at"])]
        seat = Meeting.objects.filter(slot=slot, exhibitor=companies[m["exhibitor"]], status="accepted").count() + 1
        Meeting.objects.create(
            exhibition=exhibition,
            buyer=companies[m["buyer"]],
            exhibitor=companies[m["exhibitor"]],
            status="accepted",
            origin="import",
            slot=slot,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            booth=booths.get(m.get("place")),
            table=tables.get(m.get("place")),
            interpreter=interpreters.get(m.get("interpreter")),
            exhibitor_seat=seat,
        )
    return exhibition


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    data = json.loads(Path(args.data).read_text())

    started = time.monotonic()
    exhibition = load_file(data)
    print(f"database filled in {time.monotonic() - started:.1f} s")

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        loaded = load_instance(exhibition)
    inst = loaded.instance
    print(
        f"load_instance: {time.monotonic() - started:.2f} s, {len(queries)} queries; {loaded.n_pairs} pairs, "
        f"{inst.buyer_available.shape[0]} buyers x {inst.exhibitor_available.shape[0]} exhibitors x "
        f"{len(inst.slot_day)} slots, {len(inst.fixed)} fixed"
    )

    out = io.StringIO()
    call_command("schedule_meetings", exhibition.slug, "--seconds", str(args.seconds), stdout=out)
    print("schedule_meetings:", out.getvalue().strip())

    out = io.StringIO()
    started = time.monotonic()
    call_command("export_schedule", exhibition.slug, stdout=out)
    schedule = Path(f"/tmp/{exhibition.slug}.jsonl")
    schedule.write_text(out.getvalue())
    print(
        f"export_schedule: {len(out.getvalue().splitlines())} lines in {time.monotonic() - started:.2f} s -> {schedule}"
    )
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    checked = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("check.py")), args.data, str(schedule)],
        capture_output=True,
        text=True,
    )
    print("check.py:", (checked.stdout + checked.stderr).strip().splitlines()[-3:], "exit", checked.returncode)
    return checked.returncode


if __name__ == "__main__":
    sys.exit(main())
