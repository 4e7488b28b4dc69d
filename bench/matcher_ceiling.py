"""The ceiling of world c: how well any ranker could do there, knowing everything hidden.

For each seed, the test show of world c (200 exhibitors x 500 buyers, as evaluate_matcher)
is replayed REPEATS times with fresh randomness by the generator's own show
(`synthetic.world_c_test_show_gains`: the same buyers, exhibitors, hidden needs, qualities and
capacities); each pair's mean gain over the replays is its expected gain, and ranking every
buyer's exhibitors by it is the best any matcher can do in expectation (up to the noise of
the finite replays, which can only lower it). Its nDCG@10 on the show that actually
happened is set against HS overlap, ranked as the evaluation ranks it.

    .venv/bin/python bench/matcher_ceiling.py [SEEDS=10] [REPEATS=1000]
"""

import world_c


def main():
    world_c.setup()
    import numpy as np

    from matching import evaluation, synthetic

    seeds, repeats = world_c.arguments(repeats=1000)
    ratios, ceilings, baselines = [], [], []
    for seed, world, (exhibitors, buyers, history, labels) in world_c.worlds(seeds):
        rng = np.random.default_rng(1_000 + seed)
        expected = sum(synthetic.world_c_test_show_gains(world, rng, evaluation.GAIN) for _ in range(repeats))
        rows = np.array([i for i, b in enumerate(buyers.ids.tolist()) if labels.get(int(b))])
        top = np.argsort(-(expected + np.random.default_rng(5).random(expected.shape) * 1e-9), axis=1)[:, :10]
        ceiling = float(np.mean(evaluation._metrics(top[rows], rows, buyers, exhibitors, labels, 10)[0]))
        # HS overlap exactly as the evaluation ranks it (every buyer, then the labelled ones).
        hs_top = evaluation._ranker_hs(exhibitors, buyers, history, np.arange(len(buyers)), 10)[rows]
        hs = float(np.mean(evaluation._metrics(hs_top, rows, buyers, exhibitors, labels, 10)[0]))
        ceilings.append(ceiling)
        baselines.append(hs)
        ratios.append(ceiling / hs)
        print(f"seed {seed}: ceiling {ceiling:.3f}, HS overlap {hs:.3f}, {ceiling / hs:.2f}x", flush=True)
    print(
        f"world c, {seeds} seeds, {repeats} replays: ceiling {np.mean(ceilings):.3f}, HS overlap {np.mean(baselines):.3f};"
        f" ceiling / HS overlap {np.mean(ceilings) / np.mean(baselines):.2f}x (per seed {min(ratios):.2f}-{max(ratios):.2f})"
    )


if __name__ == "__main__":
    main()
