"""The report as an Excel workbook (figures and native charts) and as a PDF, in the
language active when called (the views switch to the reader's)."""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from exhibitions.exports import _safe_cell
from exhibitions.showfloor.badges import _register_fonts, font_for

from .charts import stage_label
from .selectors import counterparts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def money(amount, currency):
    return "—" if amount is None else f"{currency} {amount:,.0f}"


def percent(share):
    return "—" if share is None else f"{share * 100:.1f}%"


def headline(figures, *, company=None):
    """[(label, value as text)]: the report's headline figures, values in USD, JPY and KRW."""
    rows = []
    if company is None:
        rows += [(_("Exhibitors"), str(figures.exhibitors)), (_("Buyers"), str(figures.buyers))]
    rows += [
        (_("Consultations (held meetings)"), str(figures.consultations)),
        (_("Walk-up leads"), str(figures.leads)),
        (_("No-shows"), str(figures.no_shows)),
        (_("No-show rate"), percent(figures.no_show_rate)),
        (_("Interpreter hours"), f"{figures.interpreter_hours:.1f}"),
    ]
    for label, usd in ((_("Consultation value"), figures.consultation_value), (_("Deal value"), figures.deal_value)):
        for currency, amount in figures.in_currencies(usd).items():
            rows.append((f"{label} ({currency})", money(amount, currency)))
    if company is None:
        rows += [
            (_("Consultations from the matcher's suggestions"), str(figures.matched)),
            (_("Matcher's share of consultations"), percent(figures.matched_share)),
            (_("Deals from the matcher's suggestions"), str(figures.matched_deals)),
            (_("Value from the matcher's suggestions (USD)"), money(figures.matched_value, "USD")),
        ]
    rate = figures.rate
    if rate is not None:
        rows.append((_("Exchange rate"), f"1 USD = {rate.jpy_per_usd:,.2f} JPY = {rate.krw_per_usd:,.2f} KRW"))
    else:
        rows.append((_("Exchange rate"), _("not entered yet: JPY and KRW values are not counted")))
    return rows


def breakdown_header():
    return [
        _("Company"),
        _("Consultations"),
        _("No-shows"),
        _("Leads"),
        _("Deals"),
        _("Consultation value (USD)"),
        _("Deal value (USD)"),
    ]


def breakdown_row(line):
    return [
        line.company.name,
        line.consultations,
        line.no_shows,
        line.leads,
        line.deals,
        float(line.consultation_value),
        float(line.deal_value),
    ]


# --- Excel ----------------------------------------------------------------------------


def _sheet(book, title, header, rows):
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(value) if isinstance(value, str) else value for value in row])
    sheet.column_dimensions["A"].width = 40
    return sheet


def _bar(sheet, title, rows, anchor, *, value_column=2):
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    data = Reference(sheet, min_col=value_column, min_row=1, max_row=rows + 1)
    labels = Reference(sheet, min_col=1, min_row=2, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.height, chart.width = 8, 16
    sheet.add_chart(chart, anchor)


def report_workbook(figures):
    """The bytes of an .xlsx with the headline figures, consultations per day, the funnel,
    the per-exhibitor and per-buyer breakdowns, each list with a native bar chart."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("Summary"), [figures.exhibition.title, ""], headline(figures))
    days = [(date_format(day, "Y-m-d"), count) for day, count in figures.days]
    sheet = _sheet(book, _("Per day"), [_("Day"), _("Consultations")], days)
    _bar(sheet, _("Consultations per day"), len(days), "D2")
    funnel = [(stage_label(stage, label), count) for stage, label, count in figures.funnel]
    sheet = _sheet(book, _("Funnel"), [_("Stage"), _("Consultations")], funnel)
    _bar(sheet, _("Outcomes funnel"), len(funnel), "D2")
    exhibitors = [breakdown_row(line) for line in figures.exhibitor_lines()]
    sheet = _sheet(book, _("Exhibitors"), breakdown_header(), exhibitors)
    _bar(sheet, _("Consultation value by exhibitor (US$)"), len(exhibitors), "I2", value_column=6)
    _sheet(book, _("Buyers"), breakdown_header(), [breakdown_row(line) for line in figures.buyer_lines()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------


class _Page:
    """A cursor down A4 pages: one line of text at a time, a new page when full."""

    def __init__(self, pdf, language):
        self.pdf, self.language = pdf, language
        self.width, self.height = A4
        self.margin = 18 * mm
        self.y = self.height - self.margin

    def _room(self, needed):
        if self.y - needed < self.margin:
            self.pdf.showPage()
            self.y = self.height - self.margin

    def text(self, text, *, size=10, bold=False, x=0, right=None):
        text = str(text)
        self.pdf.setFont(font_for(text, bold=bold, language=self.language), size)
        if right is not None:
            self.pdf.drawRightString(self.margin + right, self.y, text)
        else:
            self.pdf.drawString(self.margin + x, self.y, text)

    def line(self, *cells, size=10, bold=False, columns=None):
        """One row: the first cell on the left, the others right-aligned at `columns` (mm)."""
        self._room(size * 1.6)
        self.y -= size * 1.5
        self.text(cells[0], size=size, bold=bold)
        for cell, column in zip(cells[1:], columns or [170], strict=False):
            self.text(cell, size=size, bold=bold, right=column * mm)

    def bar(self, number, peak, *, size=10):
        """A grey bar for `number` out of `peak` on the line just written (a chart in print)."""
        if not number or not peak:
            return
        left, span = 80 * mm, 70 * mm
        self.pdf.setFillGray(0.35)
        self.pdf.rect(self.margin + left, self.y - 1, span * float(number) / float(peak), size * 0.9, stroke=0, fill=1)
        self.pdf.setFillGray(0)

    def heading(self, text):
        self._room(40)
        self.y -= 8
        self.line(text, size=13, bold=True)


def report_pdf(figures, *, language, company=None):
    """The bytes of an A4 PDF of the report (of `company`'s part when given), with Korean and
    Japanese in reportlab's CID fonts."""
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{figures.exhibition.slug} report")
    page = _Page(pdf, language)
    title = _("Report") + " · " + figures.exhibition.title
    page.line(title, size=16, bold=True)
    if company is not None:
        page.line(company.name, size=12)
    page.heading(_("Headline figures"))
    for label, value in headline(figures, company=company):
        page.line(label, value)
    page.heading(_("Outcomes funnel"))
    peak = max((count for _stage, _label, count in figures.funnel), default=0)
    for stage, label, count in figures.funnel:
        page.line(stage_label(stage, label), str(count))
        page.bar(count, peak)
    page.heading(_("Consultations per day"))
    peak = max((count for _day, count in figures.days), default=0)
    for day, count in figures.days:
        page.line(date_format(day, "SHORT_DATE_FORMAT"), str(count))
        page.bar(count, peak)
    sections = []
    if company is None:
        sections = [(_("By exhibitor"), figures.exhibitor_lines()), (_("By buyer"), figures.buyer_lines())]
    else:
        sections = [(_("Companies met"), counterparts(figures, company))]
    columns = [95, 115, 140, 170]
    for heading, lines in sections:
        page.heading(heading)
        page.line(
            _("Company"),
            _("Consultations"),
            _("Deals"),
            _("Consultation value (USD)"),
            _("Deal value (USD)"),
            size=8,
            bold=True,
            columns=columns,
        )
        for line in lines:
            page.line(
                line.company.name,
                str(line.consultations),
                str(line.deals),
                money(line.consultation_value, "USD"),
                money(line.deal_value, "USD"),
                size=9,
                columns=columns,
            )
    pdf.save()
    return buffer.getvalue()
