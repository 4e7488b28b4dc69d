"""Benchmark the exhibitor directory: 2,000 exhibitors, gunicorn, PostgreSQL, 20 clients.

    .venv/bin/python bench/directory.py [--exhibitors 2000] [--duration 15] [--connections 20]

Builds a fresh database `fairlink_bench` (dropped first), fills one exhibition with
N approved exhibitors, each with HS codes, certifications and a booth; serves it with
gunicorn (config.settings.local with DJANGO_DEBUG=False, persistent connections); then loads
/exhibitions/<slug>/exhibitors/ (a filtered, sorted variant, and random pages that miss the
directory cache) with wrk for a bounded time, and prints median, p90, p99 and requests per second. Needs `wrk` (apt-get install wrk).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "fairlink_bench"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8765
SLUG = "bench-show"
CITIES = ["Incheon", "Busan", "Changwon", "Ansan", "Siheung", "Bucheon", "Daegu", "Gimhae", "Hwaseong", "Pyeongtaek"]
CODES = ["848071", "848041", "848049", "848079", "820730", "846229", "732690", "848020", "870829", "392690"]
CERTIFICATIONS = ["ISO 9001", "IATF 16949", "ISO 14001", "ISO 45001"]


def build(exhibitors):
    """A fresh database with one open exhibition and `exhibitors` approved exhibitors."""
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from companies.models import Certification, Company, Cooperative
    from exhibitions.floorplan import grid_layout
    from exhibitions.models import Booth, Exhibition, ExhibitorApplication, Hall

    call_command("migrate", verbosity=0)
    rng = random.Random(2027)
    cooperative = Cooperative.objects.create(name_en="Korea Die Mold Cooperative", name_ko="한국금형공업협동조합")
    today = timezone.localdate()
    exhibition = Exhibition.objects.create(
        slug=SLUG,
        cooperative=cooperative,
        title_en="Bench Show",
        title_ja="ベンチ展",
        city="Tokyo",
        country="JP",
        starts_on=today + timezone.timedelta(days=90),
        ends_on=today + timezone.timedelta(days=92),
        status=Exhibition.Status.OPEN,
    )
    certifications = [Certification.objects.create(name=name) for name in CERTIFICATIONS]
    companies = Company.objects.bulk_create(
        [
            Company(
                kind=Company.Kind.EXHIBITOR,
                ref=f"KR-B{n:05d}",
                name_en=f"Mould Maker {n:04d}",
                name_ko=f"금형 제조 {n:04d}",
                name_ja=f"金型メーカー{n:04d}" if n % 3 == 0 else "",
                description_en="Injection moulds for automotive and electronics parts, up to 1,300 t presses.",
                description_ko="자동차 및 전자 부품용 사출 금형을 제작합니다.",
                country="KR",
                city=rng.choice(CITIES),
                languages=rng.choice(["ko", "ko en", "ko ja", "ko en ja"]),
                keywords="injection, automotive, 金型, 금형",
                status=Company.Status.APPROVED,
            )
            for n in range(1, exhibitors + 1)
        ],
        batch_size=1000,
    )
    Company.hs_codes.through.objects.bulk_create(
        [
            Company.hs_codes.through(company_id=company.pk, hscode_id=code)
            for company in companies
            for code in rng.sample(CODES, 3)
        ],
        batch_size=2000,
    )
    Company.certifications.through.objects.bulk_create(
        [
            Company.certifications.through(company_id=company.pk, certification_id=cert.pk)
            for company in companies
            for cert in rng.sample(certifications, rng.randint(0, 2))
        ],
        batch_size=2000,
    )
    booths = []
    halls_needed = -(-exhibitors // 500)
    for index in range(halls_needed):
        hall = Hall.objects.create(exhibition=exhibition, name=f"East {index + 1}", position=index)
        planned = grid_layout(rows="A-T", numbers="1-25", size="3x3", kind="standard", price=1500000)
        booths += [
            Booth(
                exhibition=exhibition,
                hall=hall,
                code=f"{index + 1}{b.code}",
                width_m=b.width,
                depth_m=b.depth,
                price=b.price,
                x=b.x,
                y=b.y,
            )
            for b in planned
        ]
    booths = Booth.objects.bulk_create(booths, batch_size=2000)
    ExhibitorApplication.objects.bulk_create(
        [
            ExhibitorApplication(
                exhibition=exhibition,
                company=company,
                status=ExhibitorApplication.Status.APPROVED,
                booth=booth,
                stand_languages=company.languages,
            )
            for company, booth in zip(companies, booths, strict=False)
        ],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return exhibition


def serve(workers):
    env = dict(
        os.environ,
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="False",
        CONN_MAX_AGE="60",
    )
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{PORT}/exhibitions/{SLUG}/exhibitors/"
    for _attempt in range(100):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer")


# Every request a different page, sort and an unused parameter, so that each one misses the
# directory cache and runs the full uncached path.
UNCACHED_SCRIPT = """
math.randomseed(os.time())
local sorts = {"name", "city", "booth"}
request = function()
  local path = string.format("/exhibitions/%s/exhibitors/?sort=%s&page=%d&nocache=%d",
    "SLUG", sorts[math.random(1, 3)], math.random(1, 60), math.random(1, 1000000000))
  return wrk.format("GET", path)
end
"""


def load(path, duration, connections, script=None):
    """wrk's latency percentiles and throughput for one URL (or a wrk Lua script)."""
    url = f"http://127.0.0.1:{PORT}{path}"
    extra = []
    if script:
        script_path = Path("/tmp/fairlink-bench-directory.lua")
        script_path.write_text(script.replace("SLUG", SLUG))
        extra = ["-s", str(script_path)]
    warm = ["wrk", "-t2", f"-c{connections}", "-d3s", *extra, url]
    subprocess.run(warm, check=True, capture_output=True)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url],
        check=True,
        capture_output=True,
        text=True,
    )
    out = result.stdout

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "p50": percentile(50),
        "p90": percentile(90),
        "p99": percentile(99),
        "rps": rps,
        "errors": int(errors.group(1)) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    started = time.monotonic()
    build(args.exhibitors)
    print(f"built {args.exhibitors} exhibitors in {time.monotonic() - started:.1f} s")
    server = serve(args.workers)
    try:
        base = f"/exhibitions/{SLUG}/exhibitors/"
        for label, path, script in (
            ("directory, first page", base, None),
            ("directory, ?q=mould&hs=8480&sort=booth&page=3", f"{base}?q=mould&hs=8480&sort=booth&page=3", None),
            ("directory, uncached (random page and sort, cache missed)", base, UNCACHED_SCRIPT),
        ):
            figures = load(path, args.duration, args.connections, script)
            print(
                f"{label}: median {figures['p50']:.1f} ms, p90 {figures['p90']:.1f} ms, "
                f"p99 {figures['p99']:.1f} ms, {figures['rps']:.0f} req/s, {figures['errors']} errors "
                f"({args.connections} clients, {args.duration} s, gunicorn {args.workers} workers)"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
