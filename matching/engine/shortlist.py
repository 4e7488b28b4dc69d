"""A chunk's shortlists: the best exhibitors of each of its buyers (after the fairness re-rank)
with the reasons for each, from the scores of scoring.py. The signals of the kept pairs
only (kept_signals) are what a learnt run's reasons read."""

import gc
from contextlib import contextmanager

import numpy as np
import scipy.sparse as sp

from .features import HS_MAX, LEVEL_WEIGHTS
from .scoring import Model, _scored_from_signals, _top_indices, cf_terms, score_chunk


def _pair_products(left, right, r, e):
    """(left @ right)[r[i], e[i]] for each pair i: `left` sparse (rows x k), `right` dense
    (k x exhibitors); float32, summed in the order of left's entries as the product does."""
    left = left.tocsr()
    starts = left.indptr[r]
    counts = left.indptr[r + 1] - starts
    total = int(counts.sum())
    pair = np.repeat(np.arange(len(r)), counts)
    at = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts) + np.arange(total)
    picked = right[left.indices[at], e[pair]]
    if sp.issparse(right):
        picked = np.asarray(picked, dtype=np.float32).ravel()  # a large side stays CSR
    products = left.data[at].astype(np.float32) * picked
    out = np.zeros(len(r), dtype=np.float32)
    np.add.at(out, pair, products)
    return out


def kept_signals(model: Model, rows, r_kept, e_kept):
    """The signals the reasons read (reasons.LEARNT_SIGNALS), at the kept pairs only: buyers
    rows[r_kept] x exhibitors e_kept, 1-D arrays; what components() would give at those
    cells (issue 12: a learnt run's reasons no longer need every pair's signals)."""
    b = np.asarray(rows)[r_kept]
    right = model.dense_right()
    out = {}
    out["hs"] = _pair_products(model.B_hs, right["hs"], b, e_kept) / np.float32(HS_MAX)
    out["text"] = _pair_products(model.B_tx, right["text"], b, e_kept)
    out["own"] = _pair_products(model.B_own, right["hs"], b, e_kept) / np.float32(HS_MAX)
    if model.R.nnz:
        W, (cr, cc, cv) = cf_terms(model, rows)
        cf = _pair_products(W, model.cf_sum, r_kept, e_kept)
        if len(cr):
            correction = sp.csr_matrix((cv, (cr, cc)), shape=(len(rows), model.n_exhibitors))
            cf -= np.asarray(correction[r_kept, e_kept], dtype=np.float32).ravel()
        out["cf"] = cf
    else:
        out["cf"] = np.zeros(len(b), dtype=np.float32)
    out["pair"] = np.asarray(model.pair[b, e_kept], dtype=np.float32).ravel()
    for level in model.E_levels:
        out[f"hs{level}"] = _pair_products(model.B_hs, right[f"hs{level}"], b, e_kept) / np.float32(
            LEVEL_WEIGHTS[level]
        )
    if model.assoc_by_e is not None:
        out["assoc"] = _pair_products(model.B_codes, model.assoc_by_e, b, e_kept)
    return out


def display_score(raw):
    """A score in [0, 1) for people and exports; monotone in the raw score."""
    return 1.0 - np.exp(-np.maximum(raw, 0.0))


def top_k(model: Model, rows, k=20, with_reasons=True):
    """For buyers `rows`: list of (buyer row, [(exhibitor row, score, reasons), ...]),
    best first; pairs with no positive score are left out."""
    rows = np.asarray(rows)
    # A folded learnt combination scores without the chunk's signals; its reasons read the
    # signals of the kept pairs only (kept_signals), not of every pair of the chunk.
    kept_only = with_reasons and not _scored_from_signals(model)
    score, parts = score_chunk(model, rows, signals=with_reasons and not kept_only)
    top = _top_indices(score, k)
    # Everything per kept pair is gathered for the whole chunk at once (scores, display
    # scores, signals), and the reasons of every kept pair are built at once too.
    kept = np.take_along_axis(score, top, axis=1)
    shown = display_score(kept).tolist()
    valid = (kept > 0).tolist()
    r_kept, j_kept = np.nonzero(kept > 0)
    e_kept = top[r_kept, j_kept]
    values = {}
    if with_reasons:
        from .reasons import LEARNT_SIGNALS

        if kept_only:
            values = kept_signals(model, rows, r_kept, e_kept)
        else:
            values = {name: parts[name][r_kept, e_kept] for name in LEARNT_SIGNALS if name in parts}
    with cyclic_gc_paused():
        return _picks(model, rows, values, top, shown, valid, r_kept, e_kept, with_reasons)


@contextmanager
def cyclic_gc_paused():
    """The cyclic garbage collector off while a chunk's picks are built: their hundreds of
    thousands of small lists and dicts hold no cycles (reference counting frees them), yet
    their allocation triggers collections that walk every object of the run (a third of
    top_k's time on the bench world, issue 12). Restored as found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _picks(model, rows, values, top, shown, valid, r_kept, e_kept, with_reasons):
    """top_k's list for the chunk: the kept pairs (chunk rows r_kept, exhibitors e_kept)
    with their reasons; `values`: {signal: its values at the kept pairs}."""
    from .reasons import hand_set_reasons_chunk, learnt_reasons_chunk

    if not with_reasons:
        reasons = iter([[] for _ in range(len(r_kept))])
    elif model.ranker is None or model.ranker.coef is None:
        # The hand-set reasons (four signals each).
        reasons = iter(
            hand_set_reasons_chunk(model, rows[r_kept], e_kept, *(values[name] for name in ("hs", "own", "text", "cf")))
        )
    else:
        # The learnt combination's reasons: the groups of features that raised each pair.
        reasons = iter(learnt_reasons_chunk(model, rows[r_kept], e_kept, values))
    out = []
    for r, b in enumerate(rows.tolist()):
        shown_r, valid_r = shown[r], valid[r]
        out.append((b, [(e, shown_r[j], next(reasons)) for j, e in enumerate(top[r].tolist()) if valid_r[j]]))
    return out


def chunks(n, size=1000):
    """Row ranges of `size` buyers, so memory stays bounded whatever the exhibition size."""
    return [(start, min(start + size, n)) for start in range(0, n, size)]
