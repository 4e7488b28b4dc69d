"""Writes about the interpreter pool of an exhibition and interpreters on meetings.

Interpreters have no account: staff keep the pool (by hand or CSV import) and hand each
interpreter a secret link to their agenda and calendar feed. On a booked meeting, staff
assign an interpreter who works that day, speaks a language of each side and is free in
that slot (the partial unique constraint on Meeting is the backstop under races).
"""

import csv
import datetime
import io

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from companies.models import SPOKEN_LANGUAGES
from companies.rules import runs_exhibition
from exhibitions.meetings.services import (
    MeetingConflict,
    MeetingError,
    _atomic_conflicts,
    _lock_meeting,
    _lock_slot,
    _record,
    _save,
    approved_application,
    approved_registration,
    languages_of,
)
from exhibitions.models import Interpreter, Meeting
from exhibitions.models.scheduling import new_interpreter_token

SPOKEN_CODES = [code for code, _label in SPOKEN_LANGUAGES]
CSV_COLUMNS = ["ref", "name", "email", "languages", "days"]


class InterpreterError(Exception):
    """A rule forbids this change; `message` is shown as is. `errors` maps fields (or CSV
    line numbers) to messages."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def _clean(exhibition, *, ref, name, email, languages, days):
    """Checked values, or InterpreterError naming each bad field."""
    errors = {}
    ref, name, email = (ref or "").strip(), (name or "").strip(), (email or "").strip()
    if not ref:
        errors["ref"] = _("Give a reference.")
    elif len(ref) > 64:
        errors["ref"] = _("Use at most 64 characters.")
    if not name:
        errors["name"] = _("Give a name.")
    codes = sorted(set(languages), key=SPOKEN_CODES.index) if set(languages) <= set(SPOKEN_CODES) else None
    if codes is None:
        errors["languages"] = _("Unknown language: use en, ko, ja or zh.")
    elif len(codes) < 2:
        errors["languages"] = _("An interpreter speaks at least two languages.")
    allowed = {d.isoformat() for d in exhibition.days}
    iso_days = []
    for day in days:
        day = day.isoformat() if isinstance(day, datetime.date) else str(day).strip()
        if day not in allowed:
            errors["days"] = _("%(day)s is not a day of the exhibition.") % {"day": day}
            break
        iso_days.append(day)
    if email and ("@" not in email or len(email) > 254):
        errors["email"] = _("Enter a valid email address.")
    if errors:
        raise InterpreterError(_("Please correct the errors below."), errors)
    return {"ref": ref, "name": name, "email": email, "languages": " ".join(codes), "days": sorted(set(iso_days))}


def interpreter_save(*, exhibition, by, ref, name, email="", languages=(), days=(), interpreter=None):
    """Add an interpreter to the pool, or change one (`interpreter`). Empty `days`: every day.

    Side effects: an Interpreter row created or updated.
    """
    values = _clean(exhibition, ref=ref, name=name, email=email, languages=languages, days=days)
    try:
        with transaction.atomic():
            if interpreter is None:
                return Interpreter.objects.create(exhibition=exhibition, **values)
            for field, value in values.items():
                setattr(interpreter, field, value)
            interpreter.save()
            return interpreter
    except IntegrityError:
        raise InterpreterError(
            _("Please correct the errors below."), {"ref": _("Another interpreter has this reference.")}
        )


def interpreter_delete(*, interpreter, by):
    """Remove an interpreter from the pool. Refused while they are on a booked meeting (staff
    unassign them first, so no meeting loses its interpreter unnoticed).
    Side effects: deletes the row."""
    if interpreter.meetings.filter(status=Meeting.Status.ACCEPTED).exists():
        raise InterpreterError(_("This interpreter is on booked meetings; unassign them first."))
    interpreter.delete()


def interpreter_link_reset(*, interpreter, by):
    """Give the interpreter a new secret link; the old agenda and calendar links stop working.
    Side effects: the interpreter's token."""
    interpreter.token = new_interpreter_token()
    interpreter.save(update_fields=["token"])
    return interpreter


def interpreters_import(*, exhibition, by, text):
    """Import the pool from CSV (`ref,name,email,languages,days`; languages and days
    space-separated; empty days = every day). A known ref updates that interpreter.

    All or nothing: on any bad line nothing is saved and InterpreterError.errors maps each bad
    line number to its message. Returns (created, updated).
    Side effects: Interpreter rows created or updated.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        raise InterpreterError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    if header != CSV_COLUMNS:
        raise InterpreterError(_("The first line must be: %(columns)s") % {"columns": ",".join(CSV_COLUMNS)})
    errors, cleaned, seen = {}, [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_COLUMNS):
            errors[number] = _("Expected %(count)s columns.") % {"count": len(CSV_COLUMNS)}
            continue
        ref, name, email, languages, days = row
        try:
            values = _clean(exhibition, ref=ref, name=name, email=email, languages=languages.split(), days=days.split())
        except InterpreterError as error:
            errors[number] = " ".join(str(m) for m in error.errors.values())
            continue
        if values["ref"] in seen:
            errors[number] = _("Reference %(ref)s is also on line %(line)s.") % {
                "ref": values["ref"],
                "line": seen[values["ref"]],
            }
            continue
        seen[values["ref"]] = number
        cleaned.append(values)
    if errors:
        raise InterpreterError(_("Nothing was imported: correct these lines."), errors)
    created = updated = 0
    with transaction.atomic():
        existing = {i.ref: i for i in Interpreter.objects.select_for_update().filter(exhibition=exhibition)}
        for values in cleaned:
            interpreter = existing.get(values["ref"])
            if interpreter is None:
                Interpreter.objects.create(exhibition=exhibition, **values)
                created += 1
            else:
                for field, value in values.items():
                    setattr(interpreter, field, value)
                interpreter.save()
                updated += 1
    return created, updated


# ---------------------------------------------------------------------------------------
# Interpreters on meetings


def side_languages(meeting, *, registration=None, application=None):
    """(buyer side's languages, exhibitor side's languages) of the people in the meeting."""
    registration = registration or approved_registration(meeting.exhibition, meeting.buyer_id)
    application = application or approved_application(meeting.exhibition, meeting.exhibitor_id)
    buyer = languages_of(meeting.buyer.languages, registration.languages if registration else "")
    if meeting.representative_id and meeting.representative.languages:
        exhibitor = languages_of(meeting.representative.languages)
    else:
        exhibitor = languages_of(meeting.exhibitor.languages, application.stand_languages if application else "")
    return buyer, exhibitor


@_atomic_conflicts
def meeting_interpreter_assign(*, meeting, interpreter, by):
    """Staff put an interpreter on a booked meeting.

    Refused when the interpreter is of another exhibition, does not work that day, speaks no
    language of one side, or is in another meeting in that slot (the constraint is the
    backstop when two staff assign at once). Locks the slot, then the meeting.
    Side effects: the meeting's interpreter and calendar sequence, a MeetingEvent.
    """
    if not runs_exhibition(by, meeting.exhibition):
        raise MeetingError(_("Only the organisers assign interpreters."))
    if meeting.slot_id is None:
        raise MeetingError(_("Only a booked meeting can have an interpreter."))
    _lock_slot(meeting.slot)
    meeting = _lock_meeting(meeting)
    if meeting.status != Meeting.Status.ACCEPTED:
        raise MeetingError(_("Only a booked meeting can have an interpreter."))
    if interpreter.exhibition_id != meeting.exhibition_id:
        raise MeetingError(_("That interpreter is not in this exhibition's pool."))
    day = meeting.starts_at.astimezone(meeting.exhibition.tzinfo).date()
    if not interpreter.works_on(day):
        raise MeetingError(_("%(name)s is not available that day.") % {"name": interpreter.name})
    buyer_langs, exhibitor_langs = side_languages(meeting)
    spoken = set(interpreter.language_list())
    if not (spoken & buyer_langs) or not (spoken & exhibitor_langs):
        raise MeetingError(
            _("%(name)s does not speak a language of each side of this meeting.") % {"name": interpreter.name}
        )
    busy = Meeting.objects.filter(slot_id=meeting.slot_id, interpreter=interpreter, status__in=Meeting.BOOKED)
    if busy.exclude(pk=meeting.pk).exists():
        raise MeetingConflict(_("The interpreter already has a meeting at that time."))
    meeting.interpreter = interpreter
    meeting.sequence += 1
    try:
        _save(meeting)
    except MeetingConflict:
        raise MeetingConflict(_("The interpreter already has a meeting at that time."))
    _record(
        meeting, action="interpreter_assigned", actor=by, from_status=meeting.status, details={"ref": interpreter.ref}
    )
    return meeting


@_atomic_conflicts
def meeting_interpreter_unassign(*, meeting, by):
    """Staff take the interpreter off a meeting. Side effects: the meeting's interpreter and
    calendar sequence, a MeetingEvent."""
    if not runs_exhibition(by, meeting.exhibition):
        raise MeetingError(_("Only the organisers assign interpreters."))
    meeting = _lock_meeting(meeting)
    if meeting.interpreter_id is None:
        return meeting
    ref = meeting.interpreter.ref
    meeting.interpreter = None
    meeting.sequence += 1
    meeting.save()
    _record(meeting, action="interpreter_unassigned", actor=by, from_status=meeting.status, details={"ref": ref})
    return meeting
