"""Exhibitor and buyer lists of one exhibition as rows, CSV and Excel files for staff."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import buyer_rows, exhibitor_rows


def _yes(value):
    return _("yes") if value else ""


def exhibitor_table(exhibition):
    """(header, rows) of the approved exhibitors, booth order."""
    header = [
        _("Reference"),
        _("Name (English)"),
        _("Name (Korean)"),
        _("Name (Japanese)"),
        _("City"),
        _("Hall"),
        _("Booth"),
        _("Booth type"),
        _("Products (HS)"),
        _("Languages on the stand"),
        _("Interpreter"),
        _("Extra power"),
        _("Extra furniture"),
        _("Other needs"),
        _("Representatives"),
    ]
    rows = []
    for application in exhibitor_rows(exhibition):
        company, booth = application.company, application.booth
        rows.append(
            [
                company.ref,
                company.name_en,
                company.name_ko,
                company.name_ja,
                company.city,
                booth.hall.name if booth else "",
                booth.code if booth else "",
                application.get_booth_kind_display(),
                " ".join(code.code for code in application.products.all()),
                application.stand_languages,
                _yes(application.needs_interpreter),
                _yes(application.needs_power),
                _yes(application.needs_furniture),
                application.notes,
                "; ".join(
                    ", ".join(part for part in (rep.name, rep.role, rep.email, rep.languages) if part)
                    for rep in application.representatives.all()
                ),
            ]
        )
    return header, rows


def buyer_table(exhibition):
    """(header, rows) of every buyer registration with its status."""
    header = [
        _("Reference"),
        _("Name (English)"),
        _("Name (Japanese)"),
        _("City"),
        _("Status"),
        _("Visit days"),
        _("Visitors"),
        _("Languages"),
        _("Sources (HS)"),
        _("What they are looking for"),
    ]
    rows = [
        [
            registration.company.ref,
            registration.company.name_en,
            registration.company.name_ja,
            registration.company.city,
            registration.get_status_display(),
            " ".join(registration.visit_days),
            registration.visitors,
            registration.languages,
            " ".join(code.code for code in registration.sourcing.all()),
            registration.sourcing_notes,
        ]
        for registration in buyer_rows(exhibition)
    ]
    return header, rows


# What spreadsheets read as the start of a formula, including the full-width forms that
# Excel and LibreOffice fold to ASCII (＝ ＋ － ＠).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _is_formula_like(value):
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def _safe_cell(value):
    """CSV: text that a spreadsheet would run as a formula is prefixed with a quote."""
    if _is_formula_like(value):
        return "'" + value
    return value


def as_csv(header, rows):
    """UTF-8 CSV with a byte-order mark, so Excel opens Korean and Japanese correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe_cell(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def as_xlsx(header, rows, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        # Text stays text: a cell typed as a string is never evaluated, and `quotePrefix`
        # keeps Excel from re-reading it on edit, with no apostrophe shown.
        for cell in sheet[sheet.max_row]:
            if _is_formula_like(cell.value) or cell.data_type == "f":
                cell.data_type = "s"
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
