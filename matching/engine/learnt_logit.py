"""The learnt combination applied to a run's chunks: a fitted logistic ranker's logit as one
product of each chunk's buyer rows against operands built once per run (issue 12), the
overlap steps, and the learnt score with the blends for buyers with and without history.
The features and the fit are in learning.py."""

from dataclasses import dataclass, field

import numpy as np

from .learning import FEATURES, _exhibitor_features, log_chapter_share, pair_features

# The features _logit_operands folds into its operands: a feature added to FEATURES must be
# added there too, else the logit of a chunk is computed from the built features (slower).
FOLDED = frozenset(
    (
        "hs",
        "hs6",
        "hs4",
        "hs2",
        "text",
        "own",
        "cf",
        "assoc",
        "track",
        "popularity",
        "pair_good",
        "pair_bad",
        "language",
        "has_history",
        "no_codes",
        "new_exhibitor",
        "hs_cold",
        "assoc_cold",
        "same_hs6",
        "same_hs4",
        "same_hs2",
        "language_same_hs2",
        "same_hs2_share",
        "hand_set",
    )
)


def folded(ranker):
    """Whether chunk_logit computes the ranker's logit from the run's operands, without the
    chunk's signals: a logistic ranker whose features are all in FOLDED."""
    return (
        ranker is not None
        and ranker.estimator is None
        and ranker.coef is not None
        and all(name in FOLDED for name, coef in zip(FEATURES, ranker.coef.tolist(), strict=True) if coef)
    )


@dataclass
class _LogitOperands:
    """What a run precomputes for the learnt logit of a chunk (see _logit_operands): groups
    of (buyer side for the logit, buyer side for the hand-set feature's weighted signals,
    exhibitor side), each buyer side a float32 CSR over every buyer of the model and the
    exhibitor side dense float32 (one group when small enough); and the cells added after
    the products (past pairs, cf's own-outcome correction), buyers x exhibitors."""

    groups: list
    cells: object
    base_cells: object
    hand_set: float
    # (HS level, coefficient of its step, language table of its step or None, coefficient of
    # the chapter share) per level used
    steps: list = field(default_factory=list)

    def product(self, which, rows):
        from .scoring import _dense_product

        out = None
        for logit_left, base_left, right in self.groups:
            left = logit_left if which == "logit" else base_left
            if left is None:
                continue
            value = _dense_product(left[rows], right)
            out = value if out is None else np.add(out, value, out=out)
        return out


def _logit_operands(ranker, model):
    """The learnt logit (logistic) as products of sparse buyer rows and dense exhibitor
    columns, built once per run (per ranker and weights; issue 12). Every term of the logit
    but the hand-set feature is linear in a product of a buyer-side matrix and an
    exhibitor-side one, so the coefficients go into the operands:

    - B_hs against c_hs/HS_MAX x E_hs + the HS levels' c_l/LEVEL_WEIGHTS[l] x E_l (one
      exhibitor side for hs, hs6, hs4, hs2);
    - c_own x B_own, plus c_hs_cold x B_hs on cold-start buyers' rows, against E_hs/HS_MAX;
    - c_text x B_tx against the text side; c_cf x cf's weights against cf_sum;
    - (c_assoc, plus c_assoc_cold on cold rows) x buyers' codes against assoc_by_e;
    - the buyer's language mask (one-hot, 16 columns) against a 16 x exhibitors table of the
      language feature plus every exhibitor-side feature (track, popularity, newcomer);
    - a column of one per buyer carrying the constant and the buyer-side features.

    The blocks are stacked (buyer sides side by side, exhibitor sides one above the other),
    so a chunk's logit is one product; the hand-set feature's weighted signals (w.hs x hs
    + ... + w.cf x cf, before combine_base) are a second product against the same stack. The
    cells of past pairs and of cf's correction are added afterwards."""
    cached = model.__dict__.get("_logit_operands")
    if cached is not None and cached[0] is ranker and cached[1] == model.weights:
        return cached[2]
    import scipy.sparse as sp

    from .scoring import _SIGN_TABLE, DENSE_CELLS, HS_MAX, LEVEL_WEIGHTS, _right_operand, cf_terms

    n_b, n_e = model.n_buyers, model.n_exhibitors
    c = dict(zip(FEATURES, np.where(ranker.coef != 0, ranker.coef / ranker.scale, 0.0).tolist(), strict=True))
    w = model.weights
    right = model.dense_right()
    has_history = model.b_has_history.astype(np.float64)
    cold = sp.diags(1.0 - has_history)
    B_hs, B_own = model.B_hs.astype(np.float64), model.B_own.astype(np.float64)
    blocks = []  # (exhibitor side, buyer side for the logit, buyer side for the hand-set base)
    levels = c["hs"] / HS_MAX * right["hs"]
    for level in model.E_levels:
        levels = levels + c[f"hs{level}"] / LEVEL_WEIGHTS[level] * right[f"hs{level}"]
    blocks.append((_right_operand(levels), B_hs, None))
    blocks.append(
        (
            right["hs"],
            (c["own"] * B_own + c["hs_cold"] * (cold @ B_hs)) / HS_MAX,
            (w.hs * B_hs + w.own * B_own) / HS_MAX,
        )
    )
    blocks.append((right["text"], c["text"] * model.B_tx, w.text * model.B_tx))
    cells = sp.csr_matrix((n_b, n_e))
    base_cells = sp.csr_matrix((n_b, n_e))
    if model.R.nnz:
        W, (r, col, v) = cf_terms(model, np.arange(n_b))
        W = W.astype(np.float64)
        blocks.append((model.cf_sum, c["cf"] * W, w.cf * W))
        correction = sp.csr_matrix((v.astype(np.float64), (r, col)), shape=(n_b, n_e))
        cells = cells - c["cf"] * correction
        base_cells = base_cells - w.cf * correction
    if model.assoc_by_e is not None:
        scale = sp.diags(c["assoc"] + c["assoc_cold"] * (1.0 - has_history))
        blocks.append((model.assoc_by_e, scale @ model.B_codes, None))
    side = _exhibitor_features(model)
    table = c["language"] * _SIGN_TABLE[:, model.lang_e].astype(np.float64)
    for name in ("track", "popularity", "new_exhibitor"):
        table = table + c[name] * side[name]
    masks = sp.csr_matrix((np.ones(n_b), (np.arange(n_b), model.lang_b)), shape=(n_b, len(_SIGN_TABLE)))
    blocks.append((table.astype(np.float32), masks, None))
    no_codes = np.array([not codes for codes in model.buyers.hs], dtype=np.float64)
    constant = ranker.intercept - sum(c[f] * m for f, m in zip(FEATURES, ranker.mean.tolist(), strict=True))
    by_row = constant + c["has_history"] * has_history + c["no_codes"] * no_codes
    blocks.append((np.ones((1, n_e), dtype=np.float32), sp.csr_matrix(by_row[:, None]), None))
    pair = model.pair.astype(np.float32).astype(np.float64)  # the float32 values the features had
    cells = cells + c["pair_good"] * pair.maximum(0) + c["pair_bad"] * pair.minimum(0)

    def stacked(lefts):
        if all(left is None for left in lefts):
            return None
        return sp.hstack(
            [
                sp.csr_matrix((n_b, r.shape[0])) if left is None else left
                for left, (r, *_rest) in zip(lefts, blocks, strict=True)
            ],
            format="csr",
            dtype=np.float32,
        )

    rights = [r for r, *_rest in blocks]
    if all(isinstance(r, np.ndarray) for r in rights) and sum(r.size for r in rights) <= DENSE_CELLS:
        groups = [
            (
                stacked([b[1] for b in blocks]),
                stacked([b[2] for b in blocks]),
                np.ascontiguousarray(np.vstack(rights), dtype=np.float32),
            )
        ]
    else:
        groups = [
            (
                None if lg is None else sp.csr_matrix(lg, dtype=np.float32),
                None if bs is None else sp.csr_matrix(bs, dtype=np.float32),
                r,
            )
            for r, lg, bs in blocks
        ]
    for group in groups:
        for left in group[:2]:
            if left is not None:
                left.eliminate_zeros()
                left.sort_indices()
    steps = []
    for level in model.E_levels:
        c_step = c.get(f"same_hs{level}", 0.0)
        c_language = c["language_same_hs2"] if level == 2 else 0.0
        c_share = c["same_hs2_share"] if level == 2 else 0.0
        if c_step or c_language or c_share:
            language = (c_language * _SIGN_TABLE[:, model.lang_e]).astype(np.float32) if c_language else None
            steps.append((level, np.float32(c_step), language, c_share))
    operands = _LogitOperands(
        groups=groups,
        cells=sp.csr_matrix(cells, dtype=np.float32),
        base_cells=sp.csr_matrix(base_cells, dtype=np.float32),
        hand_set=c["hand_set"],
        steps=steps,
    )
    model.__dict__["_logit_operands"] = (ranker, model.weights, operands)
    return operands


def _add_cells(out, cells, rows):
    part = cells[rows].tocoo()
    if part.nnz:
        out[part.row, part.col] += part.data


def _add_steps(steps, model, rows, out, parts=None):
    """Adds the overlap steps (same_hs6/4/2, language_same_hs2, same_hs2_share; the operands'
    `steps`) to a chunk's logit: not linear in a product, so each HS level they use is one
    more product (unless the chunk's signals, `parts`, have it already), then a comparison
    (their means are in the operands' constant). The chapter share is per buyer, from the
    count of its row's steps, so it costs no more than another step."""
    from .scoring import _dense_product

    if not steps:
        return
    right = model.dense_right()
    scratch = np.empty(out.shape, dtype=np.float32)
    for level, c_step, language, c_share in steps:
        level_signal = (parts or {}).get(f"hs{level}")
        if level_signal is None:
            level_signal = _dense_product(model.B_hs[rows], right[f"hs{level}"])
        flags = level_signal > 0
        if c_share:
            # The step's coefficient per buyer: c_step + c_share x log(share), as
            # learning.chapter_share (float32, as that feature is).
            share = log_chapter_share(flags).astype(np.float32)
            per_row = (np.float64(c_share) * share.astype(np.float64) + np.float64(c_step)).astype(np.float32)
            np.multiply(flags, per_row[:, None], out=scratch)
            out += scratch
        elif c_step:
            np.multiply(flags, c_step, out=scratch, casting="unsafe")
            out += scratch
        if language is not None:
            np.multiply(language[model.lang_b[rows]], flags, out=scratch)
            out += scratch


def chunk_logit(ranker, model, rows, parts=None):
    """ranker.logit(pair_features(model, rows, parts)) up to float32 rounding (the order of
    the additions differs), for a logistic ranker without the signals of the chunk: one
    product of the chunk's buyer rows against the run's stacked exhibitor side gives every
    term but the hand-set feature, a second one the hand-set combination's weighted signals
    (see _logit_operands), then the past pairs' cells and the hand-set feature in place.
    A boosted ranker, or one with a feature _logit_operands does not fold, reads the
    features built from `parts`."""
    if not folded(ranker):
        return ranker.logit(pair_features(model, rows, parts))
    from .scoring import combine_base

    rows = np.asarray(rows)
    ops = _logit_operands(ranker, model)
    out = ops.product("logit", rows)
    _add_cells(out, ops.cells, rows)
    _add_steps(ops.steps, model, rows, out, parts)
    if ops.hand_set:
        value = ops.product("base", rows)
        _add_cells(value, ops.base_cells, rows)
        value = combine_base(model, rows, value)
        np.maximum(value, 0.0, out=value)
        value += np.float32(0.01)
        np.log(value, out=value)
        value *= np.float32(ops.hand_set)
        out += value
    return out


def relevance(ranker, model, rows, parts):
    """The learnt score of buyers `rows` x all exhibitors, with the cold-start rule. `parts`
    may be empty for a logistic ranker (score_chunk(signals=False)): the HS signal the
    blends add is then computed for the blended rows only."""
    from .scoring import hs_signal

    rows = np.asarray(rows)
    x = chunk_logit(ranker, model, rows, parts)
    # sigmoid in place (float32), then float64 from here: the HS order's tie-breaks
    # (HS + 1e-6 x p) need the precision.
    np.clip(x, -30, 30, out=x)
    np.negative(x, out=x)
    np.exp(x, out=x)
    x += np.float32(1.0)
    p = np.divide(np.float32(1.0), x, out=x).astype(np.float64)
    cold = ~model.b_has_history[rows]
    hs = parts.get("hs") if parts else None
    for blend, mask in ((ranker.cold_blend, cold), (ranker.warm_blend, ~cold)):
        if blend is None or not mask.any():
            continue
        if mask.all():
            p *= blend
            p += hs if hs is not None else hs_signal(model, rows)
        else:
            p[mask] = (hs[mask] if hs is not None else hs_signal(model, rows[mask])) + blend * p[mask]
    return p


__all__ = ["FOLDED", "chunk_logit", "folded", "relevance"]
