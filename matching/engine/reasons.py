"""Why a pair was suggested, as codes with parameters (rendered later in the reader's
language by matching/reasons.py). Computed for the top pairs only, from the same inputs
as the scores."""

from .scoring import POSITIVE_OUTCOMES

LANGUAGE_ORDER = ("ja", "ko", "en", "zh")


def _levels(codes):
    """(subheadings, stated headings) of a company's codes, cached on the tuple."""
    return {c for c in codes if len(c) == 6}, {c for c in codes if len(c) == 4}


def _hs_reason(buyer_codes, exhibitor_codes, b_levels=None, e_levels=None):
    b6, b4 = b_levels or _levels(buyer_codes)
    e6, e4 = e_levels or _levels(exhibitor_codes)
    exact = b6 & e6
    if exact:
        return {"code": "hs_subheading", "hs": min(exact)}
    covered = sorted(c for c in e6 if c[:4] in b4)
    if covered:
        return {"code": "hs_heading_covers", "hs": covered[0], "heading": covered[0][:4]}
    broad = sorted(c for c in e4 if c in b4 or any(b[:4] == c for b in b6))
    if broad:
        return {"code": "hs_heading", "hs": broad[0]}
    shared = sorted({c[:4] for c in buyer_codes if len(c) >= 4} & {c[:4] for c in exhibitor_codes if len(c) >= 4})
    if shared:
        return {"code": "hs_heading", "hs": shared[0]}
    chapters = sorted({c[:2] for c in buyer_codes} & {c[:2] for c in exhibitor_codes})
    if chapters:
        return {"code": "hs_chapter", "hs": chapters[0]}
    return None


def _liked_order(liked, buyer_codes):
    """The codes a buyer liked, strongest first, without those it states (once per buyer)."""
    stated = set(buyer_codes)
    ordered = sorted(liked.items(), key=lambda kv: (-kv[1], kv[0]))
    return [code for code, _weight in ordered if code not in stated and code[:4] not in stated]


def _liked_reason(liked, buyer_codes, exhibitor_codes, order=None):
    for code in _liked_order(liked, buyer_codes) if order is None else order:
        if any(e == code or e.startswith(code) or code.startswith(e) for e in exhibitor_codes):
            return {"code": "history_codes", "hs": code}
    return None


def _liked_for(model, b, e):
    """_liked_reason for buyer row `b`, the buyer's ordered codes cached on the model."""
    cache = model.__dict__.setdefault("_liked_order", {})
    order = cache.get(b)
    if order is None:
        order = cache[b] = _liked_order(model.b_liked[b], model.buyers.hs[b])
    return _liked_reason(model.b_liked[b], model.buyers.hs[b], model.exhibitors.hs[e], order) if order else None


def _assoc_reason(model, b, e):
    """The buyer's stated code and the exhibitor's code with the strongest learnt lift."""
    lift = model.assoc_lift
    if lift is None:
        return None
    index = model.hs_space.index
    best, best_value = None, 0.0
    for x in model.buyers.hs[b]:
        i = index.get(x)
        if i is None:
            continue
        for y in model.exhibitors.hs[e]:
            j = index.get(y)
            if j is not None and lift[i, j] > best_value:
                best, best_value = (x, y), float(lift[i, j])
    return {"code": "product_history", "stated": best[0], "hs": best[1]} if best else None


def _by_group(model, b, e, parts):
    """{group: reason or None} for one pair, each as the hand-set path words it."""
    out = {}
    kind = model.pair_kind.get((b, e))
    out["past"] = {"code": "past_meeting", "outcome": kind} if kind in POSITIVE_OUTCOMES else None
    hs = None
    if parts["hs"] > 0:
        levels = model.__dict__.setdefault("_levels", {})
        b_levels = levels.get(("b", b)) or levels.setdefault(("b", b), _levels(model.buyers.hs[b]))
        e_levels = levels.get(("e", e)) or levels.setdefault(("e", e), _levels(model.exhibitors.hs[e]))
        hs = _hs_reason(model.buyers.hs[b], model.exhibitors.hs[e], b_levels, e_levels)
    out["hs"] = hs
    out["own"] = _liked_for(model, b, e) if parts["own"] > 0.02 else None
    shared = sorted(model.b_concepts[b] & model.e_concepts[e])
    if shared and parts["text"] > 0:
        out["text"] = {"code": "text_concepts", "concepts": shared[:3]}
    else:
        out["text"] = {"code": "text_similar"} if parts["text"] > 0.1 else None
    out["cf"] = {"code": "similar_buyers"} if parts["cf"] > 0.05 else None
    # model.track_factor is computed once per run (Model._track), not per pair.
    out["track"] = {"code": "track_record"} if model.track_meetings[e] >= 3 and model.track_factor[e] > 1.05 else None
    lb, le = set(model.buyers.languages[b]), set(model.exhibitors.languages[e])
    common = [code for code in LANGUAGE_ORDER if code in lb and code in le]
    out["language"] = {"code": "language", "lang": common[0]} if common else None
    out["interpreter"] = {"code": "interpreter"} if not common and lb and le else None
    return out


def reasons_for(model, b, e, parts, chunk_row=None, chunk_parts=None):
    """The reasons for buyer row `b` and exhibitor row `e`, strongest first.

    With a learnt combination, the reasons are those of the features that raised this
    pair's score most (their contributions to the fitted model, against an average pair),
    in that order; an interpreter need is always said. Otherwise the hand-set order."""
    ranker = model.ranker
    if ranker is not None and ranker.coef is not None and chunk_parts is not None:
        from .learning import group_contributions, pair_features, reason_groups

        # Every pair of one buyer at once (its picks are asked for one after the other).
        cache = model.__dict__.setdefault("_pair_features", {})
        contributions = cache.get(b)
        if contributions is None:
            cache.clear()
            feats = pair_features(
                model,
                [b],
                {name: value[chunk_row : chunk_row + 1] for name, value in chunk_parts.items()},
                hand_set=False,
            )
            contributions = cache[b] = group_contributions(ranker, feats, model.n_exhibitors)
        candidates = _by_group(model, b, e, parts)
        if "assoc" in parts:
            candidates["assoc"] = _assoc_reason(model, b, e)
        out = []
        for group, _contribution in reason_groups(contributions, e):
            if group == "newcomer":
                reason = {"code": "newcomer"} if model.track_meetings[e] == 0 and out else None
            else:
                reason = candidates.get(group)
            if reason and reason not in out:
                out.append(reason)
        if candidates["interpreter"]:
            out.append(candidates["interpreter"])
        return out
    buyer_codes = model.buyers.hs[b]
    exhibitor_codes = model.exhibitors.hs[e]
    out = []
    kind = model.pair_kind.get((b, e))
    if kind in POSITIVE_OUTCOMES:
        out.append({"code": "past_meeting", "outcome": kind})
    hs = None
    if parts["hs"] > 0:
        levels = model.__dict__.setdefault("_levels", {})
        b_levels = levels.get(("b", b)) or levels.setdefault(("b", b), _levels(buyer_codes))
        e_levels = levels.get(("e", e)) or levels.setdefault(("e", e), _levels(exhibitor_codes))
        hs = _hs_reason(buyer_codes, exhibitor_codes, b_levels, e_levels)
    if hs:
        out.append(hs)
    if parts["own"] > 0.02:
        liked = _liked_for(model, b, e)
        if liked:
            out.append(liked)
    shared = sorted(model.b_concepts[b] & model.e_concepts[e])
    if shared and parts["text"] > 0:
        out.append({"code": "text_concepts", "concepts": shared[:3]})
    elif parts["text"] > 0.1:
        out.append({"code": "text_similar"})
    if parts["cf"] > 0.05:
        out.append({"code": "similar_buyers"})
    if model.track_meetings[e] >= 3 and model.track_factor[e] > 1.05:
        out.append({"code": "track_record"})
    elif model.track_meetings[e] == 0 and out and model.track_meetings.max() >= 3:
        out.append({"code": "newcomer"})
    lb, le = set(model.buyers.languages[b]), set(model.exhibitors.languages[e])
    common = [code for code in LANGUAGE_ORDER if code in lb and code in le]
    if common:
        out.append({"code": "language", "lang": common[0]})
    elif lb and le:
        out.append({"code": "interpreter"})
    return out
