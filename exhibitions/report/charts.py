"""Server-rendered SVG bar charts for the report: no script, no library, no CDN.

Each chart is an <svg role="img"> with a <title> and a <desc> listing every value, and
every bar carries its value as text, so it reads in print (black and grey only), with a
screen reader, and without colour.
"""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
BAR = 22
GAP = 8
LABEL_WIDTH = 200
VALUE_WIDTH = 110
TOP = 36  # room for the visible title


def _shorten(text, length=28):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart(*, chart_id, title, rows):
    """An SVG of horizontal bars: `rows` is [(label, number, text shown for the number)]."""
    peak = max((float(number) for _label, number, _text in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + 8 + max(len(rows), 1) * (BAR + GAP)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc = "; ".join(f"{label}: {text}" for label, _number, text in rows)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        # The title again as visible text, so a printed chart says what it shows.
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#000" aria-hidden="true">{escape(title)}</text>',
    ]
    for index, (label, number, text) in enumerate(rows):
        y = TOP + index * (BAR + GAP)
        length = max(span * float(number) / peak, 1 if number else 0)
        middle = y + BAR / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="13" fill="#000">'
            f"{escape(_shorten(label))}</text>"
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR}" fill="#555" stroke="#000" '
            f'stroke-width="0.5"><title>{escape(label)}: {escape(text)}</title></rect>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle}" font-size="13" fill="#000">{escape(text)}</text>'
        )
    if not rows:
        parts.append(f'<text x="{LABEL_WIDTH}" y="{TOP + BAR / 2 + 5}" font-size="13" fill="#000">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def usd(amount):
    return f"US$ {amount:,.0f}"


def report_charts(figures):
    """The staff report's four charts: consultations per day, value by exhibitor (the ten
    largest), the outcomes funnel."""
    return {
        "per_day": per_day_chart(figures),
        "by_exhibitor": bar_chart(
            chart_id="chart-value-by-exhibitor",
            title=_("Consultation value by exhibitor (US$)"),
            rows=[
                (line.company.name, line.consultation_value, usd(line.consultation_value))
                for line in figures.exhibitor_lines()[:10]
            ],
        ),
        "funnel": funnel_chart(figures),
    }


def company_charts(figures, company):
    return {"per_day": per_day_chart(figures), "funnel": funnel_chart(figures)}


def per_day_chart(figures):
    return bar_chart(
        chart_id="chart-per-day",
        title=_("Consultations per day"),
        rows=[(date_format(day, "SHORT_DATE_FORMAT"), count, str(count)) for day, count in figures.days],
    )


def funnel_chart(figures):
    return bar_chart(
        chart_id="chart-funnel",
        title=_("Outcomes funnel"),
        rows=[(stage_label(stage, label), count, str(count)) for stage, label, count in figures.funnel],
    )


def stage_label(stage, label):
    """Funnel stages: each counts the consultations that reached it or went further."""
    fixed = {
        "booked": _("Booked"),
        "held": _("Held"),
        "no_interest": _("Outcome reported"),
        "follow_up": _("Follow-up or further"),
        "quotation": _("Quotation or further"),
        "deal": _("Deal"),
    }
    return fixed.get(stage, str(label))


def year_charts(totals):
    return {
        "consultations": bar_chart(
            chart_id="chart-years-consultations",
            title=_("Consultations year over year"),
            rows=[(str(year), line.consultations, str(line.consultations)) for year, line in totals],
        ),
        "value": bar_chart(
            chart_id="chart-years-value",
            title=_("Consultation value year over year (US$)"),
            rows=[(str(year), line.consultation_value, usd(line.consultation_value)) for year, line in totals],
        ),
    }
