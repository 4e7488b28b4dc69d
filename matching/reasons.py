"""Reasons as sentences: the engine stores codes with parameters ({"code": "hs_subheading",
"hs": "848071"}); pages render them in the reader's language, naming HS codes in it too
("射出式又は圧縮式のもの (8480.71)"); exports in English with bare codes (a contract:
export_suggestions' output does not change)."""

from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from companies.hs import hs_name
from companies.models import dotted_hs

CONCEPT_LABELS = {
    "injection_mold": gettext_lazy("injection moulds"),
    "press_die": gettext_lazy("press dies"),
    "progressive_die": gettext_lazy("progressive dies"),
    "die_casting": gettext_lazy("die casting"),
    "hot_runner": gettext_lazy("hot runners"),
    "mold_base": gettext_lazy("mould bases"),
    "edm": gettext_lazy("EDM"),
    "cnc": gettext_lazy("CNC machining"),
    "automotive": gettext_lazy("automotive parts"),
    "ev_battery": gettext_lazy("EV and batteries"),
    "electronics": gettext_lazy("electronics"),
    "home_appliance": gettext_lazy("home appliances"),
    "medical": gettext_lazy("medical devices"),
    "packaging": gettext_lazy("packaging"),
    "blow_mold": gettext_lazy("blow moulding"),
    "rubber_mold": gettext_lazy("rubber moulds"),
    "forging_die": gettext_lazy("forging dies"),
    "mold_steel": gettext_lazy("mould steel"),
    "two_shot": gettext_lazy("two-shot moulding"),
    "multi_cavity": gettext_lazy("multi-cavity moulds"),
    "precision": gettext_lazy("precision parts"),
    "prototype": gettext_lazy("prototypes"),
    "optical": gettext_lazy("optical parts"),
    "lamp": gettext_lazy("lamps and lighting"),
    "interior_trim": gettext_lazy("interior trim"),
    "bumper": gettext_lazy("bumpers and exterior parts"),
    "semiconductor": gettext_lazy("semiconductor parts"),
    "aluminium": gettext_lazy("aluminium"),
    "sheet_metal": gettext_lazy("sheet metal"),
    "jig_fixture": gettext_lazy("jigs and fixtures"),
    "cutting_tool": gettext_lazy("cutting tools"),
    "inspection": gettext_lazy("inspection and measuring"),
    "mold_repair": gettext_lazy("mould repair"),
    "plastic_parts": gettext_lazy("plastic parts"),
    "mold": gettext_lazy("moulds and dies"),
}
# The learnt model's features (engine/learning.py FEATURES), as staff read them on the runs page.
FEATURE_LABELS = {
    "hs": gettext_lazy("HS codes, all levels"),
    "hs6": gettext_lazy("same HS subheading"),
    "hs4": gettext_lazy("same HS heading"),
    "hs2": gettext_lazy("same HS chapter"),
    "text": gettext_lazy("similar descriptions"),
    "own": gettext_lazy("codes the buyer liked before"),
    "cf": gettext_lazy("buyers with similar needs"),
    "assoc": gettext_lazy("codes that buyers stating the same codes liked"),
    "track": gettext_lazy("exhibitor's track record"),
    "popularity": gettext_lazy("exhibitor's good meetings so far"),
    "pair_good": gettext_lazy("good meeting of this pair before"),
    "pair_bad": gettext_lazy("poor meeting of this pair before"),
    "language": gettext_lazy("shared language"),
    "has_history": gettext_lazy("buyer has history"),
    "no_codes": gettext_lazy("buyer stated no codes"),
    "new_exhibitor": gettext_lazy("exhibitor new to the history"),
    "hs_cold": gettext_lazy("HS codes, buyer without history"),
    "assoc_cold": gettext_lazy("learnt code links, buyer without history"),
    "same_hs6": gettext_lazy("any HS subheading in common (yes or no)"),
    "same_hs4": gettext_lazy("any HS heading in common (yes or no)"),
    "same_hs2": gettext_lazy("any HS chapter in common (yes or no)"),
    "language_same_hs2": gettext_lazy("shared language, with an HS chapter in common"),
    "same_hs2_share": gettext_lazy("how few exhibitors share the buyer's HS chapter (log share)"),
    "hand_set": gettext_lazy("the hand-set combination"),
}
COLD_START_RULES = {
    "learnt": gettext_lazy("the learnt model"),
    "hs_order": gettext_lazy("the HS-overlap order (the learnt model only breaks ties)"),
    "blend": gettext_lazy("HS overlap plus the learnt model"),
}
LANGUAGE_NAMES = {
    "en": gettext_lazy("English"),
    "ko": gettext_lazy("Korean"),
    "ja": gettext_lazy("Japanese"),
    "zh": gettext_lazy("Chinese"),
}
OUTCOME_NAMES = {
    "follow_up": gettext_lazy("follow-up"),
    "quotation": gettext_lazy("quotation"),
    "deal": gettext_lazy("deal"),
}


def _hs_label(code):
    """An HS code as the reader reads it: its name in the active language and the dotted code
    (no query: the names come from the in-memory catalogue). Long heading names are cut:
    a reason is one line among several."""
    return f"{Truncator(hs_name(code)).chars(40)} ({dotted_hs(code)})"


def render_reason(reason, *, name_codes=True):
    """One reason as a short sentence in the active language ("" for an unknown code); HS
    codes by name, or as bare numbers with `name_codes=False`."""
    code = reason.get("code")
    hs = _hs_label if name_codes else str
    if code == "hs_subheading":
        return _("Makes %(hs)s, which the buyer sources") % {"hs": hs(reason["hs"])}
    if code == "hs_heading_covers":
        return _("Makes %(hs)s, in heading %(heading)s that the buyer sources") % {
            "hs": hs(reason["hs"]),
            "heading": dotted_hs(reason["heading"]) if name_codes else reason["heading"],
        }
    if code == "hs_heading":
        return _("Same HS heading %(hs)s") % {"hs": hs(reason["hs"])}
    if code == "hs_chapter":
        return _("Same HS chapter %(hs)s") % {"hs": hs(reason["hs"])}
    if code == "history_codes":
        return _("The buyer had good meetings about %(hs)s before") % {"hs": hs(reason["hs"])}
    if code == "product_history":
        return _("Buyers stating %(stated)s often had good meetings about %(hs)s") % {
            "stated": hs(reason["stated"]),
            "hs": hs(reason["hs"]),
        }
    if code == "text_concepts":
        labels = [str(CONCEPT_LABELS.get(c, c)) for c in reason.get("concepts", [])]
        return _("Both mention %(topics)s") % {"topics": pgettext("list separator", ", ").join(labels)}
    if code == "text_similar":
        return _("Similar product descriptions")
    if code == "similar_buyers":
        return _("Buyers with similar needs had good meetings with this exhibitor")
    if code == "past_meeting":
        return _("Met before, with the outcome: %(outcome)s") % {
            "outcome": OUTCOME_NAMES.get(reason.get("outcome"), reason.get("outcome"))
        }
    if code == "track_record":
        return _("Meetings with this exhibitor often end in a quotation or deal")
    if code == "newcomer":
        return _("New exhibitor with matching products")
    if code == "language":
        return _("Both speak %(language)s") % {"language": LANGUAGE_NAMES.get(reason["lang"], reason["lang"])}
    if code == "interpreter":
        return _("No common language: an interpreter may be needed")
    return ""


def render_reasons(reasons, *, name_codes=True):
    return [text for text in (render_reason(r, name_codes=name_codes) for r in reasons or []) if text]


def render_reasons_english(reasons):
    """For exports: English, HS codes as bare numbers (unchanged wording, a data contract)."""
    with translation.override("en"):
        return render_reasons(reasons, name_codes=False)


def english_reasons(rows, reasons_at):
    """For exports of many rows: yields (row, its reasons in English as
    render_reasons_english words them), switching the language once for the batch, not
    once per row (switching was more than half of an export's time), and rendering each
    distinct reason once (the same few sentences recur on thousands of rows)."""
    rendered = {}
    with translation.override("en"):
        for row in rows:
            out = []
            for reason in reasons_at(row) or []:
                key = repr(sorted(reason.items()))
                text = rendered.get(key)
                if text is None:
                    text = rendered[key] = render_reason(reason, name_codes=False)
                if text:
                    out.append(text)
            yield row, out
