"""Generate meeting-scheduling instances as exhibition-data/2 files (no database, no app import).

    /work/venv/bin/python bench/scheduling/generate.py pavilion --seed 1 > /tmp/pavilion-1.json
    /work/venv/bin/python bench/scheduling/generate.py large --seed 1 -o /tmp/large-1.json

- pavilion: 20 Korean exhibitors, 240 Japanese buyers, 2-3 days, about 350 wishes, 4 tables,
  three interpreters, a few popular exhibitors asked for more meetings than they have slots.
- large: 300 exhibitors x 700 buyers, 5,000 wishes, popularity following a power law (the
  top exhibitors are asked two or three times their slots), few interpreters (8) for the
  pairs that share no language, a third of the buyers on one visit day, one exhibitor in ten
  with 2-3 parallel meetings, 30 shared tables, a handful of accepted meetings.

The file validates against exhibition-data-2.schema.json (copied next to this script).
"""

import argparse
import datetime
import json
import random
import sys

HS_CODES = ["848071", "848079", "848041", "848049", "848020", "848010", "820730", "820720", "820790", "846229"]
BUYER_HS = ["392690", "870829", "870899", "848071", "820730", "3926", "8708"]
KR_CITIES = ["Incheon", "Ansan", "Changwon", "Bucheon", "Siheung", "Gimhae", "Daegu"]
JP_CITIES = ["Nagoya", "Osaka", "Tokyo", "Hamamatsu", "Toyota", "Kobe", "Saitama"]

SIZES = {
    "pavilion": {
        "exhibitors": 20,
        "buyers": 240,
        "wishes": 350,
        "tables": 4,
        "interpreters": 3,
        "accepted": 3,
        "days": (2, 3),
    },
    "large": {
        "exhibitors": 300,
        "buyers": 700,
        "wishes": 5000,
        "tables": 30,
        "interpreters": 8,
        "accepted": 20,
        "days": (3, 3),
    },
}


def generate(kind: str, seed: int) -> dict:
    size = SIZES[kind]
    rng = random.Random(f"{kind}-{seed}")
    slug = f"{kind}-{seed}-2027"
    n_days = rng.randint(*size["days"])
    first = datetime.date(2027, 4, 14)
    dates = [(first + datetime.timedelta(days=d)).isoformat() for d in range(n_days)]
    days = []
    for d, date in enumerate(dates):
        day = {"date": date, "starts": "10:00", "ends": "17:00" if d < n_days - 1 else "16:00"}
        day["breaks"] = [{"starts": "12:00", "ends": "13:00"}]
        days.append(day)
    exhibition = {
        "slug": slug,
        "title": {"en": f"Korea Mold Pavilion {kind} {seed}", "ko": f"한국 금형관 {seed}"},
        "venue": "Tokyo Big Sight",
        "city": "Tokyo",
        "country": "JP",
        "timezone": "Asia/Tokyo",
        "starts_on": dates[0],
        "ends_on": dates[-1],
        "status": "open",
        "meetings": {"slot_minutes": 30, "tables": size["tables"], "days": days},
    }
    companies, participations = [], []
    exhibitors, buyers = [], []
    languages = {}
    for i in range(size["exhibitors"]):
        ref = f"KR-{i + 1:04d}"
        langs = ["ko"] + (["en"] if rng.random() < 0.5 else [])
        companies.append(
            {
                "ref": ref,
                "role": "exhibitor",
                "name": {"en": f"Exhibitor {i + 1} Precision Mold", "ko": f"정밀금형 {i + 1}"},
                "country": "KR",
                "city": rng.choice(KR_CITIES),
                "languages": langs,
                "hs_codes": rng.sample(HS_CODES, rng.randint(1, 3)),
            }
        )
        part = {"exhibition": slug, "company": ref, "booth": f"B-{i + 1:03d}"}
        if rng.random() < 0.1:
            part["parallel_meetings"] = rng.randint(2, 3)
        if rng.random() < 0.3:
            part["languages"] = ["ja"]
        participations.append(part)
        exhibitors.append(ref)
        languages[ref] = set(langs) | set(part.get("languages", []))
    for i in range(size["buyers"]):
        ref = f"JP-{i + 1:04d}"
        langs = ["ja"] + (["en"] if rng.random() < 0.3 else [])
        companies.append(
            {
                "ref": ref,
                "role": "buyer",
                "name": {"en": f"Buyer {i + 1} Industries", "ja": f"バイヤー{i + 1}工業"},
                "country": "JP",
                "city": rng.choice(JP_CITIES),
                "languages": langs,
                "hs_codes": rng.sample(BUYER_HS, rng.randint(1, 2)),
            }
        )
        part = {"exhibition": slug, "company": ref}
        r = rng.random()
        if r < 0.33:
            part["visit_days"] = [rng.choice(dates)]
        elif r < 0.55 and n_days > 2:
            part["visit_days"] = sorted(rng.sample(dates, 2))
        participations.append(part)
        buyers.append(ref)
        languages[ref] = set(langs)
    interpreters = []
    for i in range(size["interpreters"]):
        interpreter = {
            "exhibition": slug,
            "ref": f"INT-{i + 1:02d}",
            "name": f"Interpreter {i + 1}",
            "languages": ["ko", "ja"] + (["en"] if rng.random() < 0.5 else []),
        }
        if rng.random() < 0.4:
            interpreter["days"] = sorted(rng.sample(dates, rng.randint(1, max(1, n_days - 1))))
        interpreters.append(interpreter)

    # Popularity: a power law, so the first exhibitors are asked far beyond their slots.
    popularity = [1.0 / (rank + 3) ** 1.1 for rank in range(len(exhibitors))]
    activity = [rng.paretovariate(2.0) for _ in buyers]
    wishes, seen = [], set()
    while len(wishes) < size["wishes"]:
        e = rng.choices(exhibitors, weights=popularity)[0]
        b = rng.choices(buyers, weights=activity)[0]
        by = "buyer" if rng.random() < 0.7 else "exhibitor"
        if (b, e, by) in seen:
            continue
        priority = rng.choices(["must", "want", "no"], weights=[20, 75, 5])[0]
        seen.add((b, e, by))
        wishes.append({"exhibition": slug, "buyer": b, "exhibitor": e, "by": by, "priority": priority})
        other = "exhibitor" if by == "buyer" else "buyer"
        if priority != "no" and rng.random() < 0.15 and (b, e, other) not in seen and len(wishes) < size["wishes"]:
            seen.add((b, e, other))
            wishes.append(
                {"exhibition": slug, "buyer": b, "exhibitor": e, "by": other, "priority": rng.choice(["must", "want"])}
            )

    meetings = _accepted(rng, slug, exhibition, participations, interpreters, wishes, languages, size["accepted"])
    return {
        "format": "exhibition-data/2",
        "exhibitions": [exhibition],
        "companies": companies,
        "participations": participations,
        "meetings": meetings,
        "interpreters": interpreters,
        "wishes": wishes,
    }


def _accepted(rng, slug, exhibition, participations, interpreters, wishes, languages, count):
    """A few meetings already accepted, each keeping every rule, at the exhibitor's booth."""
    meetings_conf = exhibition["meetings"]
    visit = {p["company"]: p.get("visit_days") for p in participations}
    booth = {p["company"]: p.get("booth") for p in participations}
    forbidden = {(w["buyer"], w["exhibitor"]) for w in wishes if w["priority"] == "no"}
    busy = set()
    out = []
    pairs = sorted({(w["buyer"], w["exhibitor"]) for w in wishes} - forbidden)
    rng.shuffle(pairs)
    for b, e in pairs:
        if len(out) >= count:
            break
        day = rng.choice(meetings_conf["days"])
        if visit[b] and day["date"] not in visit[b]:
            continue
        hour = rng.choice([10, 11, 13, 14, 15])
        minute = rng.choice([0, 30])
        start = f"{day['date']}T{hour:02d}:{minute:02d}:00+09:00"
        end_min = hour * 60 + minute + 30
        end = f"{day['date']}T{end_min // 60:02d}:{end_min % 60:02d}:00+09:00"
        if (b, start) in busy or (e, start) in busy:
            continue
        meeting = {
            "exhibition": slug,
            "buyer": b,
            "exhibitor": e,
            "status": "accepted",
            "starts_at": start,
            "ends_at": end,
            "place": booth[e],
        }
        if not languages[b] & languages[e]:
            able = [
                i
                for i in interpreters
                if (i["ref"], start) not in busy and ("days" not in i or day["date"] in i["days"])
                if set(i["languages"]) & languages[b] and set(i["languages"]) & languages[e]
            ]
            if not able:
                continue
            meeting["interpreter"] = able[0]["ref"]
            busy.add((able[0]["ref"], start))
        busy |= {(b, start), (e, start)}
        out.append(meeting)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args()
    data = generate(args.kind, args.seed)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
