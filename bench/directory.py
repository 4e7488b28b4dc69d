"""Benchmark the exhibitor directory against a plain Django list page, in the same run.

    /work/venv/bin/python bench/directory.py [--exhibitors 2000] [--runs 3] [--duration 10]
        [--connections 20] [--workers 5] [--port 8765] [--database fairlink_bench]
    (any Python with requirements.txt installed will do; gunicorn is taken from beside it)

From a fresh checkout it needs PostgreSQL on 127.0.0.1 as user `postgres`, `wrk`
(apt-get install wrk) and, when REDIS_URL is set, Redis (the cache and sessions then live
there, as in production; unset, each worker has its own local-memory cache).

It builds a fresh database (dropped first) with one exhibition of N approved exhibitors, each
with HS codes, certifications and a booth, and one buyer with a signed-in session; serves it
with gunicorn (bench/settings.py: the local settings with DJANGO_DEBUG=False, persistent
connections, plus the reference page of bench/urls.py); then, `--runs` times over, loads with
wrk for `--duration` seconds (after a 2 s warm-up) each of:

- plain: /bench/plain/<slug>/, a plain Django list page of 50 rows in 5 queries (the yardstick);
- anonymous, cached: the directory's first page;
- buyer, cached: the same page for the signed-in buyer (session cookie);
- every request a miss: a random search, sort and page plus an unused parameter, anonymous;

and prints each figure with the load average at the time, then the throughput and median
ratios against the plain page of the same run (range over the runs). The machine's load is
part of the result: note it.
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
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def database_url(database):
    return f"postgres://postgres@127.0.0.1:5432/{database}"


SLUG = "bench-show"
CITIES = ["Incheon", "Busan", "Changwon", "Ansan", "Siheung", "Bucheon", "Daegu", "Gimhae", "Hwaseong", "Pyeongtaek"]
CODES = ["848071", "848041", "848049", "848079", "820730", "846229", "732690", "848020", "870829", "392690"]
CERTIFICATIONS = ["ISO 9001", "IATF 16949", "ISO 14001", "ISO 45001"]


def build(exhibitors, database):
    """A fresh database with one open exhibition and `exhibitors` approved exhibitors, and a
    signed-in buyer: returns the buyer's session cookie ("sessionid=...")."""
    subprocess.run(["dropdb", *PG, "--if-exists", database], check=True)
    subprocess.run(["createdb", *PG, database], check=True)
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
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
    return buyer_session_cookie(exhibition)


def buyer_session_cookie(exhibition):
    """A buyer company with a registration for the exhibition and one signed-in member, as
    login() leaves the session (through the session engine the server uses)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from companies.models import Company, Membership, User
    from exhibitions.models import BuyerRegistration

    buyer = Company.objects.create(
        kind=Company.Kind.BUYER,
        ref="JP-B00001",
        name_en="Bench Buyer",
        name_ja="ベンチ商事",
        country="JP",
        city="Nagoya",
        languages="ja",
        status=Company.Status.APPROVED,
    )
    BuyerRegistration.objects.create(exhibition=exhibition, company=buyer, status=BuyerRegistration.Status.APPROVED)
    user = User.objects.create_user(email="buyer@bench.example", password="bench-only-password")  # noqa: S106
    Membership.objects.create(company=buyer, user=user, role=Membership.Role.OWNER)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def serve(workers, port, database):
    env = dict(
        os.environ,
        DATABASE_URL=database_url(database),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="False",
        CONN_MAX_AGE="60",
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/bench/plain/{SLUG}/"
    for _attempt in range(150):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer")


# Every request a different search, sort and page, and an unused parameter, so that each one
# misses the directory cache and runs the full uncached path.
MISS_SCRIPT = """
math.randomseed(os.time())
local sorts = {"name", "city", "booth"}
local searches = {"", "", "", "mould", "%EA%B8%88%ED%98%95", "injection"}
request = function()
  local path = string.format("/exhibitions/%s/exhibitors/?q=%s&sort=%s&page=%d&nocache=%d",
    "SLUG", searches[math.random(1, 6)], sorts[math.random(1, 3)], math.random(1, 20),
    math.random(1, 1000000000))
  return wrk.format("GET", path)
end
"""


def load(port, path, duration, connections, script=None, cookie=None):
    """wrk's latency percentiles and throughput for one URL (or a wrk Lua script)."""
    url = f"http://127.0.0.1:{port}{path}"
    extra = []
    if script:
        script_path = Path(f"/tmp/fairlink-bench-directory-{port}.lua")
        script_path.write_text(script.replace("SLUG", SLUG))
        extra += ["-s", str(script_path)]
    if cookie:
        extra += ["-H", f"Cookie: {cookie}"]
    subprocess.run(["wrk", "-t2", f"-c{connections}", "-d2s", *extra, url], check=True, capture_output=True)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency", *extra, url],
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


def cpu_per_request(path, cookie=None, miss=False, requests=30):
    """Median CPU milliseconds of one request served in this process (Django's test client,
    same database and cache as the server): steadier than wrk's figures on a busy machine."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    rng = random.Random(7)
    client.get(path)
    times = []
    for n in range(requests):
        params = {"sort": rng.choice(["name", "city", "booth"]), "page": rng.randint(1, 20), "n": n} if miss else {}
        started = time.process_time()
        response = client.get(path, params)
        times.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL and run")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="fairlink_bench", help="dropped and created afresh")
    args = parser.parse_args()
    started = time.monotonic()
    cookie = build(args.exhibitors, args.database)
    print(f"built {args.exhibitors} exhibitors in {time.monotonic() - started:.1f} s")
    server = serve(args.workers, args.port, args.database)
    base = f"/exhibitions/{SLUG}/exhibitors/"
    scenarios = (
        ("plain", f"/bench/plain/{SLUG}/", None, None),
        ("anonymous, cached", base, None, None),
        ("buyer, cached", base, None, cookie),
        ("every request a miss", base, MISS_SCRIPT, None),
    )
    results = {label: [] for label, *_ in scenarios}
    try:
        for run in range(1, args.runs + 1):
            for label, path, script, session in scenarios:
                load_average = os.getloadavg()[0]
                figures = load(args.port, path, args.duration, args.connections, script, session)
                results[label].append(figures)
                print(
                    f"run {run} {label}: median {figures['p50']:.1f} ms, p90 {figures['p90']:.1f} ms, "
                    f"p99 {figures['p99']:.1f} ms, {figures['rps']:.0f} req/s, {figures['errors']} errors "
                    f"(load average {load_average:.1f})",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\n{args.connections} connections, {args.duration} s per URL, gunicorn {args.workers} workers, "
        f"{args.runs} runs; ratios against the plain page of the same run (lowest-highest):"
    )
    for label, path, script, session in scenarios:
        print(f"{label}: {cpu_per_request(path, session, miss=bool(script)):.1f} ms of CPU a request in-process")
    for label, *_ in scenarios[1:]:
        throughput = [r["rps"] / p["rps"] for r, p in zip(results[label], results["plain"], strict=True)]
        median = [r["p50"] / p["p50"] for r, p in zip(results[label], results["plain"], strict=True)]
        print(
            f"{label}: throughput {min(throughput):.2f}-{max(throughput):.2f}x, "
            f"p50 {min(median):.2f}-{max(median):.2f}x"
        )


if __name__ == "__main__":
    main()
