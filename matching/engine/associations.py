"""Product-level history: which codes buyers that state X went on to have good meetings
about. Learnt from past meetings as code-to-code associations, so it transfers to buyers
and exhibitors never seen before (exhibitor-level neighbours cannot)."""

import numpy as np
import scipy.sparse as sp

# A code stated by few past buyers says little: its row is shrunk towards the overall
# rate with the weight of ASSOCIATION_PRIOR buyers.
ASSOCIATION_PRIOR = 5.0
GOOD_VALUE = {"deal": 1.0, "quotation": 0.8, "follow_up": 0.5}


def code_rows(hs_space, code_lists):
    """Binary rows over the HS space (every level of each code), each row summing to 1."""
    rows, cols = [], []
    for r, codes in enumerate(code_lists):
        seen = set()
        for code in codes:
            for level in (6, 4, 2):
                if len(code) >= level:
                    i = hs_space.index.get(code[:level])
                    if i is not None and i not in seen:
                        seen.add(i)
                        rows.append(r)
                        cols.append(i)
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(code_lists), len(hs_space)))
    sums = np.asarray(m.sum(axis=1)).ravel()
    sums[sums == 0] = 1.0
    return (sp.diags(1.0 / sums) @ m).tocsr()


def association_lift(history, hs_space):
    """C x C array: for a buyer stating code x, how many more good meetings (graded) about
    code y it had than the average past buyer, smoothed (a code few buyers state is pulled
    to zero lift). Zero without history."""
    n = len(hs_space)
    buyers = sorted(set(history.buyer.tolist()))
    if not buyers or not n:
        return np.zeros((n, n), dtype=np.float32)
    exhibitors = sorted(set(history.exhibitor.tolist()))
    b_pos = {b: i for i, b in enumerate(buyers)}
    e_pos = {e: i for i, e in enumerate(exhibitors)}
    rows, cols, vals = [], [], []
    for b, e, kind in zip(history.buyer.tolist(), history.exhibitor.tolist(), history.kind, strict=True):
        value = GOOD_VALUE.get(kind)
        if value:
            rows.append(b_pos[b])
            cols.append(e_pos[e])
            vals.append(value)
    good = sp.csr_matrix((vals, (rows, cols)), shape=(len(buyers), len(exhibitors)))
    stated = code_rows(hs_space, [history.hs.get(b, ()) for b in buyers])
    stated.data[:] = 1.0  # buyers stating x (binary), not spread
    about = code_rows(hs_space, [history.hs.get(e, ()) for e in exhibitors])
    counts = np.asarray((stated.T @ good @ about).todense(), dtype=np.float64)
    stating = np.asarray(stated.sum(axis=0)).ravel()
    overall = np.asarray((good @ about).sum(axis=0)).ravel() / len(buyers)
    rate = (counts + ASSOCIATION_PRIOR * overall[None, :]) / (stating[:, None] + ASSOCIATION_PRIOR)
    return (rate - overall[None, :]).astype(np.float32)


def association_scores(b_rows, lift_by_exhibitor):
    """Buyers x exhibitors: the mean lift over the buyer's codes of the mean over the
    exhibitor's codes; `lift_by_exhibitor` is lift @ exhibitor rows.T (C x exhibitors)."""
    return np.asarray(b_rows @ lift_by_exhibitor)
