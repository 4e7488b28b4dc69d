"""Check a meeting schedule against the rules, independently of the scheduler's code.

    /work/venv/bin/python bench/scheduling/check.py DATA.json SCHEDULE.jsonl [--exhibition SLUG]

DATA.json is an exhibition-data/2 file; SCHEDULE.jsonl is what `export_schedule SLUG`
writes (one meeting a line: exhibition, buyer, exhibitor, starts_at, ends_at, place,
interpreter, status). Prints every violation and the value (wish weight of the scheduled
pairs: must 3, want 1, both sides added); exits 1 when a rule is broken.

Rules (docs: the formats README, "Scheduling, command line"): each buyer in one meeting at a
time; an exhibitor in at most its parallel_meetings; each place (its own booth or table-N,
1 <= N <= tables) and each interpreter in one meeting at a time; meetings only in slots
(meeting hours, no break) and on a buyer's visit days; an interpreter (in the pool, available
that day, speaking a language of each side) exactly where the sides share no language; each
pair at most once; never a pair with a `no`; accepted meetings in the data left as they are.
This file imports nothing from the app or the engine, on purpose.
"""

import argparse
import datetime
import json
import sys
from collections import Counter
from zoneinfo import ZoneInfo

WEIGHT = {"must": 3, "want": 1}
LIVE = {"draft", "requested", "accepted", "held"}


def slot_starts(exhibition) -> dict:
    """Every slot's start (aware datetime) -> its day string."""
    zone = ZoneInfo(exhibition.get("timezone", "UTC"))
    conf = exhibition["meetings"]
    step = datetime.timedelta(minutes=conf["slot_minutes"])
    out = {}
    for day in conf["days"]:
        date = datetime.date.fromisoformat(day["date"])

        def at(clock, date=date):
            return datetime.datetime.combine(date, datetime.time.fromisoformat(clock), tzinfo=zone)

        breaks = [(at(b["starts"]), at(b["ends"])) for b in day.get("breaks", [])]
        start, end = at(day["starts"]), at(day["ends"])
        while start + step <= end:
            if not any(start < b_end and b_start < start + step for b_start, b_end in breaks):
                out[start] = day["date"]
            start += step
    return out


def check(data: dict, schedule: list, slug: str | None = None):
    exhibitions = {x["slug"]: x for x in data.get("exhibitions", [])}
    if slug is None:
        slugs = {m["exhibition"] for m in schedule} or {x["slug"] for x in exhibitions.values() if "meetings" in x}
        slug = sorted(slugs)[0]
    exhibition = exhibitions[slug]
    zone = ZoneInfo(exhibition.get("timezone", "UTC"))
    slots = slot_starts(exhibition)
    length = datetime.timedelta(minutes=exhibition["meetings"]["slot_minutes"])
    tables = exhibition["meetings"].get("tables", 0)
    companies = {c["ref"]: c for c in data.get("companies", [])}
    parts = {p["company"]: p for p in data.get("participations", []) if p["exhibition"] == slug}
    pool = {i["ref"]: i for i in data.get("interpreters", []) if i["exhibition"] == slug}

    def languages(ref):
        return set(companies[ref].get("languages", [])) | set(parts[ref].get("languages", []))

    weights, forbidden = Counter(), set()
    for wish in data.get("wishes", []):
        if wish["exhibition"] != slug:
            continue
        pair = (wish["buyer"], wish["exhibitor"])
        if wish["priority"] == "no":
            forbidden.add(pair)
        else:
            weights[pair] += WEIGHT[wish["priority"]]

    violations = []
    buyer_at, exhibitor_at, place_at, interpreter_at = Counter(), Counter(), Counter(), Counter()
    pairs = Counter()
    for n, m in enumerate(schedule, 1):
        where = f"line {n} ({m.get('buyer')} x {m.get('exhibitor')} at {m.get('starts_at')})"
        if m.get("status") not in LIVE:
            continue
        b, e = m["buyer"], m["exhibitor"]
        if m.get("exhibition") != slug:
            violations.append(f"{where}: exhibition {m.get('exhibition')!r}, not {slug!r}")
        if companies.get(b, {}).get("role") != "buyer" or b not in parts:
            violations.append(f"{where}: {b} is not a buyer taking part")
            continue
        if companies.get(e, {}).get("role") != "exhibitor" or e not in parts:
            violations.append(f"{where}: {e} is not an exhibitor taking part")
            continue
        start = datetime.datetime.fromisoformat(m["starts_at"]).astimezone(zone)
        end = datetime.datetime.fromisoformat(m["ends_at"]).astimezone(zone) if m.get("ends_at") else None
        if start not in slots:
            violations.append(f"{where}: not at the start of a slot")
            day = start.date().isoformat()
        else:
            day = slots[start]
        if end is not None and end - start != length:
            violations.append(f"{where}: ends at {m['ends_at']}, not one slot later")
        visit = parts[b].get("visit_days")
        if visit and day not in visit:
            violations.append(f"{where}: {b} visits only on {', '.join(visit)}")
        if (b, e) in forbidden:
            violations.append(f"{where}: a side said no to this pair")
        pairs[b, e] += 1
        buyer_at[b, start] += 1
        exhibitor_at[e, start] += 1
        place = m.get("place")
        booth = parts[e].get("booth")
        if place is None:
            violations.append(f"{where}: no place")
        elif place.startswith("table-"):
            number = place[len("table-") :]
            if not number.isdigit() or not 1 <= int(number) <= tables:
                violations.append(f"{where}: {place} does not exist ({tables} tables)")
        elif place != booth:
            violations.append(f"{where}: place {place} is neither its booth ({booth}) nor a table")
        if place is not None:
            place_at[place, start] += 1
        needs = not (languages(b) & languages(e))
        ref = m.get("interpreter")
        if needs and not ref:
            violations.append(f"{where}: no common language and no interpreter")
        if not needs and ref:
            violations.append(f"{where}: interpreter {ref} where the sides share a language")
        if ref:
            interpreter = pool.get(ref)
            if interpreter is None:
                violations.append(f"{where}: interpreter {ref} is not in the pool")
            else:
                spoken = set(interpreter["languages"])
                if not (spoken & languages(b) and spoken & languages(e)):
                    violations.append(f"{where}: interpreter {ref} does not speak a language of each side")
                if interpreter.get("days") and day not in interpreter["days"]:
                    violations.append(f"{where}: interpreter {ref} is not there on {day}")
            interpreter_at[ref, start] += 1

    for (b, start), count in buyer_at.items():
        if count > 1:
            violations.append(f"buyer {b} in {count} meetings at {start.isoformat()}")
    for (e, start), count in exhibitor_at.items():
        allowed = parts[e].get("parallel_meetings", 1)
        if count > allowed:
            violations.append(f"exhibitor {e} in {count} meetings at {start.isoformat()} (parallel_meetings {allowed})")
    for (place, start), count in place_at.items():
        if count > 1:
            violations.append(f"place {place} holds {count} meetings at {start.isoformat()}")
    for (ref, start), count in interpreter_at.items():
        if count > 1:
            violations.append(f"interpreter {ref} in {count} meetings at {start.isoformat()}")
    for (b, e), count in pairs.items():
        if count > 1:
            violations.append(f"pair {b} x {e} meets {count} times")

    # Accepted meetings in the data stay exactly where they were.
    scheduled = {
        (
            m["buyer"],
            m["exhibitor"],
            datetime.datetime.fromisoformat(m["starts_at"]),
            m.get("place"),
            m.get("interpreter"),
        )
        for m in schedule
        if m.get("status") in LIVE
    }
    for m in data.get("meetings", []):
        if m["exhibition"] == slug and m["status"] == "accepted" and m.get("starts_at"):
            key = (
                m["buyer"],
                m["exhibitor"],
                datetime.datetime.fromisoformat(m["starts_at"]),
                m.get("place"),
                m.get("interpreter"),
            )
            if key not in scheduled:
                violations.append(
                    f"accepted meeting {m['buyer']} x {m['exhibitor']} at {m['starts_at']} moved or missing"
                )

    value = sum(weights[pair] for pair in pairs)
    summary = {"meetings": sum(pairs.values()), "pairs": len(pairs), "value": value, "violations": len(violations)}
    return summary, violations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("schedule")
    parser.add_argument("--exhibition")
    args = parser.parse_args()
    with open(args.data, encoding="utf-8") as f:
        data = json.load(f)
    with open(args.schedule, encoding="utf-8") as f:
        schedule = [json.loads(line) for line in f if line.strip()]
    summary, violations = check(data, schedule, args.exhibition)
    for v in violations:
        print(v)
    print(json.dumps(summary))
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
