"""An exhibitor's leads as a table for its CSV and Excel downloads (exhibitions.exports writes
the files and keeps text that looks like a formula from running)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def lead_table(leads, exhibition):
    """(header, rows) in the active language, times in the exhibition's time zone."""
    header = [
        _("Captured at"),
        _("Name"),
        _("Company"),
        _("Email"),
        _("Interest"),
        _("Note"),
        _("Source"),
        _("Captured by"),
        _("Updated at"),
    ]
    rows = []
    for lead in leads:
        person = lead.person
        rows.append(
            [
                _local(lead.created_at, exhibition),
                person.display_name if person else lead.visitor_name,
                lead.buyer.name if lead.buyer else lead.visitor_company,
                person.email if person else lead.visitor_email,
                lead.get_interest_display(),
                lead.note,
                lead.get_source_display(),
                lead.captured_by.display_name if lead.captured_by else "",
                _local(lead.updated_at, exhibition),
            ]
        )
    return header, rows


def _local(moment, exhibition):
    return date_format(timezone.localtime(moment, exhibition.tzinfo), "Y-m-d H:i")
