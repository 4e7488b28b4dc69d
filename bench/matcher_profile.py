"""Matcher engine on arrays only, the size of a full run (issue 12: 2,900 exhibitors x 7,600
buyers, world a, three past shows, seed 7): prepare, then `shortlist.top_k` with reasons over
every chunk, in CPU seconds (time.process_time). With BENCH_PROFILE=file, under cProfile
(the stats are written to that file; read them with `python -m pstats file`).

    .venv/bin/python bench/matcher_profile.py
    BENCH_EXHIBITORS=2000 BENCH_BUYERS=5000 BENCH_PROFILE=/tmp/matcher.prof .venv/bin/python bench/matcher_profile.py
"""

import cProfile
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import numpy as np

    from matching import synthetic
    from matching.engine import scoring, shortlist

    n_e = int(os.environ.get("BENCH_EXHIBITORS", 2900))
    n_b = int(os.environ.get("BENCH_BUYERS", 7600))
    world = synthetic.generate(variant="a", n_exhibitors=n_e, n_buyers=n_b, n_exhibitions=4, seed=7, everyone_last=True)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    if profile:
        profile.enable()
    started = time.process_time()
    model = scoring.prepare(exhibitors, buyers, history)
    prepared = time.process_time()
    picks = 0
    for start, end in shortlist.chunks(model.n_buyers):
        picks += sum(len(items) for _b, items in shortlist.top_k(model, np.arange(start, end), 20))
    done = time.process_time()
    if profile:
        profile.disable()
        profile.dump_stats(os.environ["BENCH_PROFILE"])
    print(
        f"{n_e} x {n_b} ({'learnt' if model.ranker is not None else 'hand-set'}): prepare {prepared - started:.2f} s CPU; "
        f"score + top 20 + reasons, {picks:,} picks: {done - prepared:.2f} s CPU; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
