"""What importing a valid file would change, record by record, without writing anything."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from companies.models import Company

from ..models import BuyerRegistration, ExhibitorApplication, Interpreter, Wish
from .export import (
    COMPANY_FIELDS,
    EXHIBITION_FIELDS,
    INTERPRETER_FIELDS,
    MEETING_FIELDS,
    MEETING_HOURS_FIELDS,
    PARTICIPATION_FIELDS,
    WISH_FIELDS,
    _changed_fields,
    application_record,
    company_record,
    exhibition_record,
    interpreter_record,
    meeting_hours_record,
    meeting_record,
    registration_record,
)
from .records import _records, meeting_matches
from .schema import KINDS, KINDS_1, version_of
from .validate import _validate, problems_of_other_cooperatives


@dataclass
class Change:
    """What importing one record does: create, update (which fields) or nothing."""

    kind: str
    action: str
    label: str
    fields: list = field(default_factory=list)
    record: dict = field(default_factory=dict)
    obj: object = None
    index: int = 0


@dataclass
class ImportPlan:
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    version: int = 1  # of the file's format

    @property
    def kinds(self):
        """The kinds of record the file's version knows (version 2 adds meeting hours, interpreters, wishes)."""
        return KINDS if self.version == 2 else KINDS_1

    @property
    def ok(self):
        return not self.problems

    def of(self, kind, action=None):
        return [c for c in self.changes if c.kind == kind and (action is None or c.action == action)]

    def counts(self):
        """{"company": {"create": 2, "update": 1, "unchanged": 0}, ...} for every kind."""
        counts = {kind: {"create": 0, "update": 0, "unchanged": 0} for kind in self.kinds}
        for change in self.changes:
            counts[change.kind][change.action] += 1
        return counts

    @property
    def changes_anything(self):
        return any(c.action != "unchanged" for c in self.changes)

    def summary_lines(self):
        names = {
            "exhibition": _("exhibitions"),
            "company": _("companies"),
            "participation": _("participations"),
            "meeting": _("meetings"),
            "meeting_hours": _("meeting hours"),
            "interpreter": _("interpreters"),
            "wish": _("wishes"),
        }
        return [
            _("%(kind)s: %(create)s created, %(update)s updated, %(unchanged)s unchanged")
            % {"kind": names[kind], **numbers}
            for kind, numbers in self.counts().items()
        ]


def plan_import(data, by=None):
    """Validate `data` and, when it is valid, say what importing it would change. Reads only.
    With `by`, records of exhibitions another cooperative runs are problems too."""
    problems, checker = _validate(data)
    problems = problems + problems_of_other_cooperatives(data, by)
    if problems:
        return ImportPlan(problems=problems)
    plan = ImportPlan(version=version_of(data))
    roles = {ref: role for ref, (_i, role) in checker.file_companies.items()}
    roles.update({ref: c.kind for ref, c in checker.db_companies.items() if ref not in roles})

    for i, record in _records(data, "exhibitions"):
        existing = checker.db_exhibitions.get(record["slug"])
        plan.changes.append(
            _change("exhibition", record["slug"], record, existing, i, exhibition_record, EXHIBITION_FIELDS)
        )
    for i, record in _records(data, "companies"):
        existing = checker.db_companies.get(record["ref"])
        plan.changes.append(_change("company", record["ref"], record, existing, i, company_record, COMPANY_FIELDS))
    _plan_participations(plan, data, checker, roles)
    _plan_meetings(plan, data, checker)
    if plan.version == 2:
        _plan_meeting_hours(plan, data, checker)
        _plan_interpreters(plan, data)
        _plan_wishes(plan, data)
    return plan


def _plan_meeting_hours(plan, data, checker):
    """An exhibition's `meetings` block: hours, breaks, slot length and tables, as one change."""
    for i, record in _records(data, "exhibitions"):
        if "meetings" not in record:
            continue
        existing = checker.db_exhibitions.get(record["slug"])
        current = meeting_hours_record(existing) if existing is not None else None
        if current is None:
            change = Change(kind="meeting_hours", action="create", label=record["slug"], index=i)
        else:
            changed = _changed_fields(record["meetings"], current, MEETING_HOURS_FIELDS)
            change = Change(
                kind="meeting_hours", action="update" if changed else "unchanged", label=record["slug"], fields=changed
            )
        change.record, change.obj, change.index = record["meetings"], existing, i
        plan.changes.append(change)


def _plan_interpreters(plan, data):
    records = _records(data, "interpreters")
    slugs = {r["exhibition"] for _i, r in records}
    existing = {
        (i.exhibition.slug, i.ref): i
        for i in Interpreter.objects.filter(exhibition__slug__in=slugs).select_related("exhibition")
    }
    for i, record in records:
        label = f"{record['exhibition']} / {record['ref']}"
        interpreter = existing.get((record["exhibition"], record["ref"]))
        plan.changes.append(
            _change("interpreter", label, record, interpreter, i, interpreter_record, INTERPRETER_FIELDS)
        )


def _plan_wishes(plan, data):
    records = _records(data, "wishes")
    slugs = {r["exhibition"] for _i, r in records}
    # Plain rows, not model instances: a show has thousands of wishes and only the priority changes.
    existing = {
        (slug, buyer, exhibitor, by): WishRow(pk, priority)
        for pk, slug, buyer, exhibitor, by, priority in Wish.objects.filter(exhibition__slug__in=slugs).values_list(
            "pk", "exhibition__slug", "buyer__ref", "exhibitor__ref", "by", "priority"
        )
    }
    for i, record in records:
        key = (record["exhibition"], record["buyer"], record["exhibitor"], record["by"])
        label = f"{key[0]}: {key[1]} × {key[2]} ({key[3]})"
        plan.changes.append(_change("wish", label, record, existing.get(key), i, WishRow.record, WISH_FIELDS))


class WishRow(NamedTuple):
    pk: int
    priority: str

    def record(self):
        return {"priority": self.priority}


def _change(kind, label, record, existing, index, to_record, fields):
    if existing is None:
        return Change(kind=kind, action="create", label=label, record=record, index=index)
    changed = _changed_fields(record, to_record(existing), fields)
    action = "update" if changed else "unchanged"
    return Change(kind=kind, action=action, label=label, fields=changed, record=record, obj=existing, index=index)


def _plan_participations(plan, data, checker, roles):
    records = _records(data, "participations")
    slugs = {r["exhibition"] for _i, r in records}
    refs = {r["company"] for _i, r in records}
    applications = {
        (a.exhibition.slug, a.company.ref): a
        for a in ExhibitorApplication.objects.filter(exhibition__slug__in=slugs, company__ref__in=refs).select_related(
            "exhibition", "company", "booth"
        )
    }
    registrations = {
        (r.exhibition.slug, r.company.ref): r
        for r in BuyerRegistration.objects.filter(exhibition__slug__in=slugs, company__ref__in=refs).select_related(
            "exhibition", "company"
        )
    }
    for i, record in records:
        key = (record["exhibition"], record["company"])
        label = f"{key[0]} / {key[1]}"
        is_exhibitor = roles[record["company"]] == Company.Kind.EXHIBITOR
        existing = (applications if is_exhibitor else registrations).get(key)
        if existing is None:
            plan.changes.append(Change(kind="participation", action="create", label=label, record=record, index=i))
            continue
        changed = []
        if existing.status != "approved":
            changed.append("status")
        if (
            is_exhibitor
            and "booth" in record
            and (existing.booth.code if existing.booth_id else None) != record["booth"]
        ):
            changed.append("booth")
        current = application_record(existing) if is_exhibitor else registration_record(existing)
        changed += _changed_fields(record, current, PARTICIPATION_FIELDS)
        plan.changes.append(
            Change(
                kind="participation",
                action="update" if changed else "unchanged",
                label=label,
                fields=changed,
                record=record,
                obj=existing,
                index=i,
            )
        )


def _meeting_label(record):
    when = f" {record['starts_at']}" if record.get("starts_at") else ""
    return f"{record['exhibition']}: {record['buyer']} × {record['exhibitor']}{when}"


def _plan_meetings(plan, data, checker):
    # Version 2's checks matched the meetings already; version 1's did not need to.
    matches, _in_database = getattr(checker, "meeting_matches", None) or meeting_matches(data)
    for i, record in _records(data, "meetings"):
        label = _meeting_label(record)
        plan.changes.append(_change("meeting", label, record, matches.get(i), i, meeting_record, MEETING_FIELDS))
