"""Printed agendas: a person's meetings of one day, or a booth's (every meeting of an
exhibitor at its booth and tables), as A4 PDF pages.

Printed in the reader's language with times in the exhibition's time zone; Korean and
Japanese text uses the CID fonts of `badges` (the viewer supplies the glyphs). Reads are a
fixed number of queries whatever the number of meetings.
"""

import datetime
import io

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from exhibitions.meetings.selectors import BOOKED, MEETING_RELATED, agenda_for, exhibitors_with_booths
from exhibitions.models import Meeting

from .badges import _fit, _register_fonts, font_for

MARGIN = 15 * mm
ROW = 7 * mm
# (heading, x, width) of each column, in millimetres from the left margin.
COLUMNS = (("time", 0, 26), ("with", 27, 68), ("place", 96, 28), ("interpreter", 125, 55))


def day_bounds(exhibition, day):
    """The instants a local day of the exhibition starts and ends."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=exhibition.tzinfo)
    return start, start + datetime.timedelta(days=1)


def default_day(exhibition):
    """Today when the exhibition runs, else its first day."""
    today = timezone.localtime(timezone.now(), exhibition.tzinfo).date()
    return today if today in exhibition.days else exhibition.starts_on


def person_meetings(*, user, exhibition, day):
    """The person's booked meetings of the day; one query."""
    start, end = day_bounds(exhibition, day)
    return list(agenda_for(user=user, exhibition=exhibition).filter(starts_at__gte=start, starts_at__lt=end))


def booth_meetings(*, exhibition, day, exhibitor=None):
    """[(exhibitor with booth_code, its booked meetings of the day)], by booth: one exhibitor's,
    or (staff) every participating exhibitor's that has a meeting that day. Two queries."""
    start, end = day_bounds(exhibition, day)
    meetings = Meeting.objects.filter(
        exhibition=exhibition, status__in=BOOKED, starts_at__gte=start, starts_at__lt=end
    ).select_related(*MEETING_RELATED)
    exhibitors = exhibitors_with_booths(exhibition)
    if exhibitor is not None:
        meetings = meetings.filter(exhibitor=exhibitor)
        exhibitors = exhibitors.filter(pk=exhibitor.pk)
    by_exhibitor = {}
    for meeting in meetings.order_by("starts_at", "exhibitor_seat", "pk"):
        by_exhibitor.setdefault(meeting.exhibitor_id, []).append(meeting)
    if exhibitor is None:
        exhibitors = exhibitors.filter(Q(pk__in=list(by_exhibitor)))
    return [(company, by_exhibitor.get(company.pk, [])) for company in exhibitors]


def place_label(meeting):
    if meeting.table is not None:
        return _("Table %(number)s") % {"number": meeting.table.number}
    if meeting.booth is not None:
        return _("Booth %(code)s") % {"code": meeting.booth.code}
    return "—"


def _line(meeting, exhibition, reader_company_id):
    tz = exhibition.tzinfo
    when = f"{timezone.localtime(meeting.starts_at, tz):%H:%M}–{timezone.localtime(meeting.ends_at, tz):%H:%M}"
    if reader_company_id == meeting.buyer_id:
        other, person = meeting.exhibitor.name, meeting.representative.name if meeting.representative else ""
    else:
        other, person = meeting.buyer.name, meeting.buyer_person.display_name if meeting.buyer_person else ""
    interpreter = (
        meeting.interpreter.name if meeting.interpreter else (_("needed") if meeting.interpreter_needed else "")
    )
    return {
        "time": when,
        "with": f"{other} · {person}" if person else other,
        "place": place_label(meeting),
        "interpreter": interpreter or "—",
    }


def agenda_pdf(*, exhibition, day, sections, language):
    """The PDF bytes: one part per section (title, the company whose point of view names "the
    other company", meetings), each starting on a new page. Call inside the reader's
    `translation.override`."""
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{exhibition.slug} {day.isoformat()}")
    headings = {"time": _("Time"), "with": _("With"), "place": _("Place"), "interpreter": _("Interpreter")}
    subtitle = " · ".join(
        [
            exhibition.title,
            formats.date_format(day, "DATE_FORMAT"),
            _("Times in %(tz)s") % {"tz": exhibition.timezone},
        ]
    )
    width, height = A4
    for title, company_id, meetings in sections:
        cursor = height - MARGIN
        cursor = _text(pdf, title, MARGIN, cursor, 16, width - 2 * MARGIN, language, bold=True)
        cursor = _text(pdf, subtitle, MARGIN, cursor, 9, width - 2 * MARGIN, language) - 3 * mm
        cursor = _row(pdf, headings, cursor, language, bold=True)
        if not meetings:
            _text(pdf, _("No meetings this day."), MARGIN, cursor, 10, width - 2 * MARGIN, language)
        for meeting in meetings:
            if cursor < MARGIN + ROW:
                pdf.showPage()
                cursor = _row(pdf, headings, height - MARGIN, language, bold=True)
            cursor = _row(pdf, _line(meeting, exhibition, company_id), cursor, language)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _text(pdf, text, x, cursor, size, width, language, bold=False):
    font = font_for(text, bold=bold, language=language)
    text, size = _fit(pdf, text, font, size, width)
    cursor -= size * 1.4
    pdf.setFont(font, size)
    pdf.drawString(x, cursor, text)
    return cursor - size * 0.3


def _row(pdf, cells, cursor, language, bold=False):
    cursor -= ROW
    for name, x, width in COLUMNS:
        text = cells[name]
        font = font_for(text, bold=bold, language=language)
        text, size = _fit(pdf, text, font, 9 if not bold else 9.5, (width - 1) * mm)
        pdf.setFont(font, size)
        pdf.drawString(MARGIN + x * mm, cursor + 2 * mm, text)
    pdf.setLineWidth(0.3)
    pdf.line(MARGIN, cursor, A4[0] - MARGIN, cursor)
    return cursor
