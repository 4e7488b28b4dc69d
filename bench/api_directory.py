"""Benchmark the API's directory (50 a page, JSON) against the HTML directory page, side by
side in the same run, on the same data and server (the setup of bench/directory.py).

    /work/venv/bin/python bench/api_directory.py [--exhibitors 2000] [--runs 3] [--duration 10]
        [--connections 20] [--workers 5] [--port 8766] [--database fairlink_bench_api]

Needs what bench/directory.py needs (PostgreSQL on 127.0.0.1 as `postgres`, wrk, and Redis
when REDIS_URL is set). `--runs` times over, wrk loads for `--duration` seconds each of:

- HTML, first page: /exhibitions/<slug>/exhibitors/, anonymous (the page's cache serves it);
- API, first page: /api/v1/exhibitions/<slug>/directory/, anonymous;
- HTML, every request a miss: a random search, sort and page, and an unused parameter;
- API, every request a miss: a random search and sort, and an unused parameter;

then prints each figure with the load average, and the API's throughput against the HTML
page's of the same run (goal: at least 1.3x), with the CPU milliseconds of one request.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.directory import MISS_SCRIPT, SLUG, build, cpu_per_request, database_url, load, serve  # noqa: E402

API_MISS_SCRIPT = """
math.randomseed(os.time())
local sorts = {"name", "city", "booth"}
local searches = {"", "", "", "mould", "%EA%B8%88%ED%98%95", "injection"}
request = function()
  local path = string.format("/api/v1/exhibitions/%s/directory/?q=%s&sort=%s&nocache=%d",
    "SLUG", searches[math.random(1, 6)], sorts[math.random(1, 3)], math.random(1, 1000000000))
  return wrk.format("GET", path)
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL and run")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--database", default="fairlink_bench_api", help="dropped and created afresh")
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run built")
    args = parser.parse_args()
    started = time.monotonic()
    # The per-caller rate limit (600 a minute) would answer most of the load with 429.
    os.environ["API_RATE"] = "100000000/min"
    if args.reuse:
        os.environ["DATABASE_URL"] = database_url(args.database)
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        import django

        django.setup()
    else:
        build(args.exhibitors, args.database)
        print(f"built {args.exhibitors} exhibitors in {time.monotonic() - started:.1f} s")
    server = serve(args.workers, args.port, args.database)
    html = f"/exhibitions/{SLUG}/exhibitors/"
    api = f"/api/v1/exhibitions/{SLUG}/directory/"
    scenarios = (
        ("HTML, first page", html, None),
        ("API, first page", api, None),
        ("HTML, every request a miss", html, MISS_SCRIPT),
        ("API, every request a miss", api, API_MISS_SCRIPT),
    )
    results = {label: [] for label, *_ in scenarios}
    try:
        for run in range(1, args.runs + 1):
            for label, path, script in scenarios:
                load_average = os.getloadavg()[0]
                figures = load(args.port, path, args.duration, args.connections, script)
                results[label].append(figures)
                print(
                    f"run {run} {label}: median {figures['p50']:.1f} ms, p90 {figures['p90']:.1f} ms, "
                    f"{figures['rps']:.0f} req/s, {figures['errors']} errors (load average {load_average:.1f})",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\n{args.connections} connections, {args.duration} s per URL, gunicorn {args.workers} workers, "
        f"{args.runs} runs; the API against the HTML page of the same run (lowest-highest):"
    )
    for label, path, script in scenarios:
        print(f"{label}: {cpu_per_request(path, miss=bool(script)):.1f} ms of CPU a request in-process")
    for api_label, html_label in (
        ("API, first page", "HTML, first page"),
        ("API, every request a miss", "HTML, every request a miss"),
    ):
        pairs = list(zip(results[api_label], results[html_label], strict=True))
        throughput = [a["rps"] / h["rps"] for a, h in pairs]
        print(f"{api_label}: throughput {min(throughput):.2f}-{max(throughput):.2f}x the HTML page's")


if __name__ == "__main__":
    main()
