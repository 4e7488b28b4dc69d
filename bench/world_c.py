"""World c's seeds as the world-c benches read them (matcher_ceiling, matcher_expected,
matcher_headroom): Django set up, the evaluation's size (200 exhibitors x 500 buyers), and
the command line's SEEDS and REPEATS."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    """Django, with the project importable (the benches run as scripts from bench/)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def arguments(repeats):
    """(SEEDS, REPEATS) from the command line: 10 seeds and `repeats` unless given."""
    return (int(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2 else repeats)


def worlds(seeds):
    """(seed, world, (exhibitors, buyers, history, labels)) for seeds 0..seeds-1, as
    evaluate_matcher --synthetic c draws them."""
    from matching import synthetic

    for seed in range(seeds):
        world = synthetic.generate(variant="c", n_exhibitors=200, n_buyers=500, seed=seed)
        yield seed, world, synthetic.engine_inputs(world)
