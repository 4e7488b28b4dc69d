"""Benchmark `export_suggestions --top 10` right after a matcher run, on PostgreSQL.

    /work/venv/bin/python bench/export.py [--exhibitors 3800] [--buyers 1460] [--per-buyer 52]
        [--others 1740] [--repeat 3] [--database fairlink_bench]

From a fresh checkout it needs PostgreSQL on 127.0.0.1 as user `postgres`. It builds a fresh
database (dropped first) with one open exhibition of N approved exhibitors and M approved
buyers, plus `--others` companies that do not take part (as past shows leave behind), and
the suggestions a run leaves: `--per-buyer` for each buyer with a score, a rank and reasons
(3,800 x 1,460 x 52 is the 76,000 rows of issue 12). Autovacuum is turned off on the
suggestions table so that the statistics are exactly those of each case:

- fresh: the rows just written, the table never analysed (what a run that died before its
  ANALYZE, or an import, leaves);
- stale: analysed when it held 1 % of the rows, then filled (the 48 s case of issue 12);
- analysed: after ANALYZE, as a finished run leaves it.

For each it times the command in-process `--repeat` times (wall clock, output discarded), and
apart the selector that reads the rows (the rest is rendering reasons and writing JSON), and
prints the window query's plan, with the load average at the time.
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]
SLUG = "bench-export"
CODES = ["8480", "848071", "848041", "820730", "846229"]


def build(args):
    subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)
    subprocess.run(["createdb", *PG, args.database], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from companies.models import Company, Cooperative
    from exhibitions.models import BuyerRegistration, Exhibition, ExhibitorApplication

    call_command("migrate", verbosity=0)
    cooperative = Cooperative.objects.create(name_en="Korea Die Mold Cooperative")
    today = timezone.localdate()
    exhibition = Exhibition.objects.create(
        slug=SLUG,
        cooperative=cooperative,
        title_en="Export Bench",
        city="Tokyo",
        country="JP",
        starts_on=today + timezone.timedelta(days=60),
        ends_on=today + timezone.timedelta(days=62),
        status=Exhibition.Status.OPEN,
    )

    def companies(kind, prefix, n):
        return Company.objects.bulk_create(
            [
                Company(
                    kind=kind,
                    ref=f"{prefix}{i:05d}",
                    name_en=f"{kind} {i}",
                    country="KR" if kind == "exhibitor" else "JP",
                    status=Company.Status.APPROVED,
                )
                for i in range(n)
            ],
            batch_size=2000,
        )

    exhibitors = companies(Company.Kind.EXHIBITOR, "KR-E", args.exhibitors)
    buyers = companies(Company.Kind.BUYER, "JP-B", args.buyers)
    companies(Company.Kind.EXHIBITOR, "KR-O", args.others)
    ExhibitorApplication.objects.bulk_create(
        [
            ExhibitorApplication(exhibition=exhibition, company=c, status=ExhibitorApplication.Status.APPROVED)
            for c in exhibitors
        ],
        batch_size=2000,
    )
    BuyerRegistration.objects.bulk_create(
        [BuyerRegistration(exhibition=exhibition, company=c, status=BuyerRegistration.Status.APPROVED) for c in buyers],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE matching_suggestion SET (autovacuum_enabled = false)")
        for table in connection.introspection.table_names(cursor):
            if table != "matching_suggestion":  # everything else is old news to the planner
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    rng = random.Random(12)
    pairs = [(b.pk, e.pk) for b in buyers for e in rng.sample(exhibitors, args.per_buyer)]
    return exhibition, pairs, rng


def fill(exhibition, pairs, rng):
    from matching.models import Suggestion

    Suggestion.objects.bulk_create(
        [
            Suggestion(
                exhibition=exhibition,
                buyer_id=b,
                exhibitor_id=e,
                score=rng.random(),
                rank=1 + n % 52,
                reasons=[{"code": "hs_heading", "hs": rng.choice(CODES)}, {"code": "language", "lang": "ja"}],
            )
            for n, (b, e) in enumerate(pairs)
        ],
        batch_size=5000,
    )


def sql(statement):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchall() if cursor.description else None


def measure(label, exhibition, repeat):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stats = sql("SELECT reltuples::bigint, relpages FROM pg_class WHERE relname = 'matching_suggestion'")[0]
    times = []
    for _ in range(repeat):
        load_average = os.getloadavg()[0]
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            call_command("export_suggestions", SLUG, top=10, stdout=io.StringIO())
        times.append(time.perf_counter() - started)
    from matching.selectors import top_suggestions

    selector_times = []
    for _ in range(repeat):
        started = time.perf_counter()
        top_suggestions(exhibition, 10)
        selector_times.append(time.perf_counter() - started)
    window = next(q["sql"] for q in queries.captured_queries if "ROW_NUMBER" in q["sql"])
    plan = [row[0] for row in sql(f"EXPLAIN {window}")]
    print(
        f"{label}: median {statistics.median(times):.2f} s, fastest {min(times):.2f} s over {repeat} "
        f"(planner's pg_class reltuples/relpages {stats[0]}/{stats[1]}; load average {load_average:.1f}); "
        f"{len(queries)} queries; of which reading the rows (top_suggestions, 4 queries): median "
        f"{statistics.median(selector_times):.2f} s"
    )
    for line in plan:
        print(f"    {line[:150]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=3800)
    parser.add_argument("--buyers", type=int, default=1460)
    parser.add_argument("--per-buyer", type=int, default=52)
    parser.add_argument("--others", type=int, default=1740)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="fairlink_bench", help="dropped and created afresh")
    args = parser.parse_args()
    started = time.monotonic()
    exhibition, pairs, rng = build(args)
    fill(exhibition, pairs, rng)
    print(
        f"built {args.exhibitors} exhibitors x {args.buyers} buyers, {len(pairs)} suggestions "
        f"in {time.monotonic() - started:.0f} s"
    )
    from matching.models import Suggestion
    from matching.services import analyze_suggestions

    measure("fresh, never analysed", exhibition, args.repeat)
    Suggestion.objects.all().delete()
    fill(exhibition, pairs[: len(pairs) // 100], rng)
    analyze_suggestions()
    fill(exhibition, pairs[len(pairs) // 100 :], rng)
    measure("stale, analysed at 1 % of the rows", exhibition, args.repeat)
    analyze_suggestions()  # what a finished run does
    measure("analysed (after a finished run)", exhibition, args.repeat)


if __name__ == "__main__":
    main()
