"""What the meeting history says, before any pair is scored: the value of each kind of
outcome, each exhibitor's record (meetings and graded good outcomes) with the strength of
the prior its rate is smoothed with, and how much a shared language helps. Plain Python
and numpy on scoring.History; prepare() reads them once per run."""

import numpy as np

# What a past interaction says about a pair (graded; negatives push down).
OUTCOME_VALUE = {
    "deal": 1.0,
    "quotation": 0.8,
    "follow_up": 0.5,
    "held": 0.1,
    "no_interest": -0.6,
    "declined": -0.4,
    "dismissed": -0.8,
}
POSITIVE_OUTCOMES = ("deal", "quotation", "follow_up")

# A request that was declined, or a suggestion dismissed, says nothing about how the
# exhibitor does in a meeting: neither counts towards its track record.
NOT_A_MEETING = ("dismissed", "declined")
PRIOR_RANGE = (1.0, 100.0)


def track_counts(history):
    """{exhibitor id: [meetings, graded good outcomes, sum of squared grades]}."""
    out = {}
    for e, kind in zip(history.exhibitor.tolist(), history.kind, strict=True):
        if kind in NOT_A_MEETING:
            continue
        value = OUTCOME_VALUE.get(kind, 0.0) if kind in POSITIVE_OUTCOMES else 0.0
        cell = out.setdefault(e, [0, 0.0, 0.0])
        cell[0] += 1
        cell[1] += value
        cell[2] += value * value
    return out


def track_prior_strength(counts):
    """Empirical-Bayes prior strength (in meetings) for the exhibitors' outcome rates.

    Method of moments for a beta-binomial-like model: the spread of observed rates is the
    spread of true rates plus sampling noise (within-exhibitor variance / meetings). The
    prior counts as within / between meetings: when true rates barely differ (the spread
    is mostly noise) it is strong and every record is pulled to the overall rate; when they
    differ a lot, a few meetings already say much. Bounded to PRIOR_RANGE; with fewer than
    five exhibitors with meetings, the upper bound (records count little)."""
    cells = np.array([v for v in counts.values() if v[0] > 0], dtype=float).reshape(-1, 3)
    if len(cells) < 5:
        return PRIOR_RANGE[1]
    n, s, s2 = cells[:, 0], cells[:, 1], cells[:, 2]
    p0 = s.sum() / n.sum()
    within = max(s2.sum() / n.sum() - p0 * p0, 1e-9)
    share = n / n.sum()
    between = float(np.sum(share * (s / n - p0) ** 2) - np.sum(share * within / n))
    if between <= 0:
        return PRIOR_RANGE[1]
    return float(np.clip(within / between, *PRIOR_RANGE))


# The language ratio's prior: a shared language helps a little (a ratio of 1.1), worth
# LANGUAGE_PRIOR_MEETINGS meetings on each side; the estimate is bounded to LANGUAGE_RANGE
# (a shared language never hurts, and never more than quadruples the odds).
LANGUAGE_PRIOR_RATIO = 1.1
LANGUAGE_PRIOR_MEETINGS = 50.0
LANGUAGE_RANGE = (1.0, 4.0)


def language_ratio(history):
    """How many times more often a past meeting ended well when buyer and exhibitor shared a
    language than when they shared none (graded good outcomes per meeting, as for the track
    record), over the meetings where both sides' languages are known.

    Each side's rate is smoothed towards a prior that has the overall rate with the prior
    ratio between the two sides (LANGUAGE_PRIOR_MEETINGS meetings each), so with no or little
    history the ratio is LANGUAGE_PRIOR_RATIO and with much it is what the history says;
    bounded to LANGUAGE_RANGE."""
    languages = history.languages or {}
    counts = np.zeros((2, 2))  # [shares none, shares one] x [meetings, graded good outcomes]
    if languages:
        for b, e, kind in zip(history.buyer.tolist(), history.exhibitor.tolist(), history.kind, strict=True):
            if kind in NOT_A_MEETING:
                continue
            lb, le = languages.get(b), languages.get(e)
            if not lb or not le:
                continue
            shared = int(bool(set(lb) & set(le)))
            counts[shared, 0] += 1
            counts[shared, 1] += OUTCOME_VALUE.get(kind, 0.0) if kind in POSITIVE_OUTCOMES else 0.0
    n = counts[:, 0].sum()
    p0 = (counts[:, 1].sum() + 1.0) / (n + 2.0)
    half = np.sqrt(LANGUAGE_PRIOR_RATIO)
    m = LANGUAGE_PRIOR_MEETINGS
    none_rate = (counts[0, 1] + m * p0 / half) / (counts[0, 0] + m)
    shared_rate = (counts[1, 1] + m * p0 * half) / (counts[1, 0] + m)
    return float(np.clip(shared_rate / none_rate, *LANGUAGE_RANGE))
