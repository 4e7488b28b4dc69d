"""Matcher core on arrays only (no database): prepare, then score + top 20 over every chunk,
for the hand-set and the learnt combination, in CPU seconds (time.process_time, min of 3),
which a loaded machine moves less than wall time (issue 12).

    BENCH_SHOWS=4 .venv/bin/python bench/matcher_core.py   # 3 past shows (BENCH_SHOWS=2: 1)

The learnt combination is fitted only with learning.MIN_REPLAYS replays, and a past show
is replayed only with history before it: from BENCH_SHOWS=4 (3 past shows); with less the
bench says so and the "learnt" lines time the hand-set combination.

World a of matching/synthetic/, 2,000 exhibitors x 5,000 buyers, seed 7, as bench/matcher.py.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu_with_children():
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import numpy as np
    import sklearn.linear_model  # noqa: F401 - imported once per worker; not part of the timing

    from matching import synthetic
    from matching.engine import learning, scoring, shortlist

    n_e = int(os.environ.get("BENCH_EXHIBITORS", 2000))
    n_b = int(os.environ.get("BENCH_BUYERS", 5000))
    shows = int(os.environ.get("BENCH_SHOWS", 4))
    world = synthetic.generate(
        variant="a", n_exhibitors=n_e, n_buyers=n_b, n_exhibitions=shows, seed=7, everyone_last=True
    )
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    for path in ("hand-set", "learnt"):
        # The learnt path is forced (the hand-set combination wins on this world's history).
        learning.HAND_SET_CANDIDATE = path == "hand-set"
        # With the CPU of the child that works out the combination meanwhile (engine/beside.py).
        started = _cpu_with_children()
        model = scoring.prepare(exhibitors, buyers, history, learn=path == "learnt")
        prepare_s = _cpu_with_children() - started
        # Scores only (as the evaluation); the learnt path also with every signal computed,
        # as top_k does for the reasons (the hand-set score is computed from them anyway).
        for signals in (False, True) if path == "learnt" else (False,):
            best = float("inf")
            for _ in range(3):
                started = time.process_time()
                for start, end in shortlist.chunks(model.n_buyers):
                    score, _parts = scoring.score_chunk(model, np.arange(start, end), signals=signals)
                    scoring._top_indices(score, 20)
                best = min(best, time.process_time() - started)
            pairs = model.n_buyers * model.n_exhibitors
            label = path + (", with signals" if signals else "")
            if path == "learnt" and model.ranker is None:
                label += " (not fitted: too little history, the hand-set combination)"
            print(
                f"{n_e} x {n_b}, {shows - 1} past shows, {label}: prepare {prepare_s:.2f} s CPU; "
                f"score + top 20 {best:.2f} s CPU = {pairs / best / 1e6:.1f} M pairs/s; "
                f"load {os.getloadavg()[0]:.1f}"
            )
    learning.HAND_SET_CANDIDATE = True


if __name__ == "__main__":
    main()
