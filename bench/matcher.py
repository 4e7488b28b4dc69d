"""Matcher bench: a full run for 2,000 exhibitors x 5,000 buyers through `run_matcher` on
PostgreSQL (eager tasks: load, score, top 20 per buyer, save), and the scoring core against
a plain per-pair Python loop on the same data.

    .venv/bin/python bench/matcher.py            # setup + run + core, writes docs/bench/matcher.md
    .venv/bin/python bench/matcher.py --no-setup # reuse the data already in the bench database

Each phase runs in its own process so that peak memory (ru_maxrss) is the phase's own.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_DB: a database of one's own on a shared machine.
DB = os.environ.get("BENCH_DB", "fairlink_bench_matching")
# Three past exhibitions, so that the matcher can learn its combination (it needs two past
# shows to replay, see matching/engine/learning.py) and the bench times that path.
SLUG = "synthetic-a-2023"
# BENCH_EXHIBITORS / BENCH_BUYERS: another size (the full run of issue 12 is 2,900 x 7,600).
N_EXHIBITORS = int(os.environ.get("BENCH_EXHIBITORS", 2000))
N_BUYERS = int(os.environ.get("BENCH_BUYERS", 5000))


def env():
    out = dict(os.environ)
    out.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        REDIS_URL="",
        PYTHONPATH=str(ROOT),
    )
    return out


def django_setup():
    import django

    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    django.setup()


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_setup():
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env(), check=True)
    django_setup()
    from matching import synthetic

    started = time.monotonic()
    world = synthetic.generate(
        variant="a", n_exhibitors=N_EXHIBITORS, n_buyers=N_BUYERS, n_exhibitions=4, seed=7, everyone_last=True
    )
    synthetic.save_world(world, stdout=sys.stdout)
    return {"setup_s": round(time.monotonic() - started, 1)}


def phase_run():
    django_setup()
    from io import StringIO

    # Imported before the clock starts, as a worker process has it (config/celery.py).
    import sklearn.linear_model  # noqa: F401
    from django.core.management import call_command
    from django.db import connection

    from matching.models import MatchRun, Suggestion

    # A fresh run each time: no suggestions or runs left from an earlier bench.
    Suggestion.objects.filter(exhibition__slug=SLUG).delete()
    MatchRun.objects.filter(exhibition__slug=SLUG).delete()
    # The earlier bench's rows, vacuumed away now rather than by autovacuum during the run
    # (dead rows moved a run's wall time by up to 5 s).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE matching_suggestion")
    out = StringIO()
    started, cpu = time.monotonic(), time.process_time()
    call_command("run_matcher", SLUG, stdout=out)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu

    return {
        "run_s": round(elapsed, 1),
        # This process's CPU (engine, reasons, building rows; not PostgreSQL's): steadier
        # than the wall time on a loaded machine.
        "run_cpu_s": round(cpu, 1),
        "run_maxrss_mb": round(maxrss_mb()),
        # The child that works out the learnt combination meanwhile (engine/beside.py); its
        # peak counts the pages it shares with this process too.
        "run_child_maxrss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "summary": out.getvalue().strip(),
        "suggestions": Suggestion.objects.filter(exhibition__slug=SLUG).count(),
    }


def per_pair_score(model, b, e, b_hs, e_hs, b_tx, e_tx, b_own, cf_rows, cf_sum, cf_self, R_rows):
    """The same relevance as the vectorised core, one pair at a time in plain Python (cf as
    scoring.collaborative defines it: per code, the other history buyers' mean outcome)."""
    w = model.weights
    hs = sum(v * e_hs[e].get(k, 0.0) for k, v in b_hs[b].items()) / 1.7
    text = sum(v * e_tx[e].get(k, 0.0) for k, v in b_tx[b].items())
    own = sum(v * e_hs[e].get(k, 0.0) for k, v in b_own[b].items()) / 1.7
    cf = sum(weight * cf_sum[x][e] for x, weight in cf_rows[b].items())
    h, c = cf_self[b]
    if h >= 0:
        cf -= c * R_rows[h].get(e, 0.0)
    base = w.hs * hs + w.text * text + w.own * own + w.cf * cf
    score = base * model.track_factor[e]
    lb, le = int(model.lang_b[b]), int(model.lang_e[e])
    if lb and le:  # the learnt language effect, as in Model.language_factor
        score *= model.lang_ratio ** (0.5 * w.language * (1 if lb & le else -1))
    return score


def phase_core():
    django_setup()
    import numpy as np

    from exhibitions.models import Exhibition
    from matching.engine import scoring, shortlist
    from matching.loading import load_exhibition

    exhibition = Exhibition.objects.get(slug=SLUG)
    started = time.monotonic()
    exhibitors, buyers, history, excluded = load_exhibition(exhibition)
    load_s = time.monotonic() - started
    started = time.monotonic()
    model = scoring.prepare(exhibitors, buyers, history, excluded=excluded)
    prepare_s = time.monotonic() - started
    started = time.monotonic()
    for start, end in shortlist.chunks(model.n_buyers):
        score, _ = scoring.score_chunk(model, np.arange(start, end))
        scoring._top_indices(score, 20)
    vector_s = time.monotonic() - started

    def rows(m):
        m = m.tocsr()
        return [
            dict(
                zip(
                    m.indices[m.indptr[i] : m.indptr[i + 1]].tolist(),
                    m.data[m.indptr[i] : m.indptr[i + 1]].tolist(),
                    strict=True,
                )
            )
            for i in range(m.shape[0])
        ]

    sample = 100
    b_hs, e_hs = rows(model.B_hs[:sample]), rows(model.E_hs)
    b_tx, e_tx = rows(model.B_tx[:sample]), rows(model.E_tx)
    b_own = rows(model.B_own[:sample])
    # Per buyer, the weight of each code in cf (its share / the code's other buyers) and the
    # share of its own outcomes to take out, as scoring.collaborative computes them.
    cf_rows, cf_self = [], []
    member = model.cf_member.tocsr()
    for b in range(sample):
        h = int(model.b_history_row[b])
        mine = dict(zip(member[h].indices.tolist(), member[h].data.tolist(), strict=True)) if h >= 0 else {}
        u = model.cf_weights[b]
        weights = {
            int(x): float(v) / (float(model.cf_count[x]) - mine.get(int(x), 0.0))
            for x, v in zip(u.indices.tolist(), u.data.tolist(), strict=True)
        }
        cf_rows.append(weights)
        cf_self.append((h, sum(v * mine.get(x, 0.0) for x, v in weights.items())))
    cf_sum = np.asarray(model.cf_sum.toarray() if hasattr(model.cf_sum, "toarray") else model.cf_sum).tolist()
    R_rows = rows(model.R)
    started = time.monotonic()
    for b in range(sample):
        scores = [
            per_pair_score(model, b, e, b_hs, e_hs, b_tx, e_tx, b_own, cf_rows, cf_sum, cf_self, R_rows)
            for e in range(model.n_exhibitors)
        ]
        sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:20]
    loop_sample_s = time.monotonic() - started
    pairs = model.n_buyers * model.n_exhibitors
    loop_s = loop_sample_s * model.n_buyers / sample
    return {
        "load_s": round(load_s, 2),
        "prepare_s": round(prepare_s, 2),
        "vector_score_topk_s": round(vector_s, 2),
        "pairs": pairs,
        "vector_pairs_per_s": round(pairs / vector_s),
        "loop_pairs_per_s": round(sample * model.n_exhibitors / loop_sample_s),
        "loop_extrapolated_s": round(loop_s, 1),
        "speedup": round(loop_s / vector_s, 1),
        "core_maxrss_mb": round(maxrss_mb()),
    }


def run_phase(name):
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    )
    sys.stderr.write(out.stderr[-2000:] if out.returncode else "")
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_doc(figures):
    """The figures of this run, as a generated page of their own (docs/bench/matcher.md,
    overwritten each time). The Matcher section of docs/performance.md is written by hand
    (before/after tables, loads, commands) and is not touched."""
    path = ROOT / "docs" / "bench" / "matcher.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    load = ", ".join(f"{x:.1f}" for x in figures["load_average"])
    path.write_text(f"""# Matcher bench (generated)

Written by `bench/matcher.py` on {datetime.date.today().isoformat()}; do not edit by hand (the
hand-written figures are in docs/performance.md, section "Matcher"). A synthetic exhibition of
{N_EXHIBITORS:,} exhibitors x {N_BUYERS:,} buyers (world a, three past exhibitions), PostgreSQL,
eager tasks; load average at the end: {load}.

| what | figure |
|---|---|
| `run_matcher` end to end (load, prepare, score, top 20 per buyer with reasons, save), wall | {figures["run_s"]} s |
| same, CPU of the Python process (PostgreSQL's work not included) | {figures["run_cpu_s"]} s |
| peak memory of that process (ru_maxrss) | {figures["run_maxrss_mb"]} MB |
| suggestions saved | {figures["suggestions"]:,} |
| load into arrays | {figures["load_s"]} s |
| prepare (replays, learnt or calibrated combination, fairness sample) | {figures["prepare_s"]} s |
| vectorised scoring + top 20, all {figures["pairs"]:,} pairs | {figures["vector_score_topk_s"]} s ({figures["vector_pairs_per_s"]:,} pairs/s) |
| plain Python per-pair loop, same signals (100 buyers, extrapolated) | {figures["loop_extrapolated_s"]} s ({figures["loop_pairs_per_s"]:,} pairs/s) |
| vectorised / loop speed-up | {figures["speedup"]}x |

Summary line: `{figures["summary"]}`
""")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", choices=["setup", "run", "core"])
    parser.add_argument("--no-setup", action="store_true")
    parser.add_argument("--no-doc", action="store_true", help="Print the figures only.")
    args = parser.parse_args()
    if args.phase:
        result = {"setup": phase_setup, "run": phase_run, "core": phase_core}[args.phase]()
        print(json.dumps(result))
        return
    figures = {}
    if not args.no_setup:
        figures.update(run_phase("setup"))
    figures.update(run_phase("run"))
    figures.update(run_phase("core"))
    figures["load_average"] = os.getloadavg()
    print(json.dumps(figures, indent=1))
    if not args.no_doc:
        write_doc(figures)


if __name__ == "__main__":
    main()
