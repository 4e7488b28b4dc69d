"""Applying a plan: one transaction, one import at a time, all or nothing."""

import datetime
from collections import defaultdict

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Certification, Company, Cooperative

from ..meetings.services import MeetingError, meeting_tables_set, slots_generate
from ..models import (
    Booth,
    BuyerRegistration,
    Exhibition,
    ExhibitorApplication,
    Hall,
    Interpreter,
    Meeting,
    MeetingBreak,
    MeetingHours,
    MeetingTable,
    Slot,
    Wish,
)
from .export import (
    COMPANY_FIELDS,
    EXHIBITION_FIELDS,
    INTERPRETER_FIELDS,
    MEETING_FIELDS,
    MEETING_HOURS_FIELDS,
    PARTICIPATION_FIELDS,
    _norm_text,
)
from .plan import plan_import
from .records import _parse_datetime
from .schema import LANGS, ImportRejected, Problem
from .validate_scheduling import TABLE_PLACE

IMPORTED_HALL = "Imported"
DEFAULT_COOPERATIVE = {
    "name_en": "Korea Die Mold Cooperative",
    "name_ko": "한국금형공업협동조합",
    "name_ja": "韓国金型工業協同組合",
}


def import_exhibition_data(*, data, by=None):
    """Validate and import an exhibition-data/1 or /2 document in one transaction; returns the
    plan that was applied. Raises ImportRejected (nothing written) when the file has problems.

    With a `by` who is not an admin, records of exhibitions another cooperative runs are
    problems.

    Side effects: creates or updates exhibitions (new ones belong to `by`'s cooperative, else
    to the first cooperative, created if there is none), companies (new ones approved,
    reviewed by `by`), their HS codes and certifications (new certification names are
    created), approved exhibitor applications (with the named booth, created in a hall
    "Imported" when missing; version 2: parallel meetings and stand languages) and approved buyer registrations (version 2: visit
    days and languages), and meetings (companies, status, outcome, value, start; a slot at
    that start for accepted ones, and in version 2 for held ones too; version 2: end, place,
    interpreter; booked ones take the exhibitor's next free seat in their slot; new ones have
    origin "import"). Version 2 also replaces an exhibition's meeting hours, breaks, slot
    length and tables when its `meetings` block changed, and regenerates its slots
    (`slots_generate`), and creates or updates interpreters and wishes (new wishes are
    created by `by`). Sends no notification.
    """
    try:
        with transaction.atomic():
            _serialise_imports()
            plan = plan_import(data, by=by)
            if plan.problems:
                raise ImportRejected(plan.problems)
            _apply(plan, by=by)
    except (IntegrityError, OperationalError) as exc:
        raise ImportRejected(
            [Problem(("(database)",), _("the database refused the import, try again: %(error)s") % {"error": exc})]
        ) from exc
    return plan


IMPORT_LOCK = 0x46A1_1D47  # any constant shared by every import: "one import at a time"


def _serialise_imports():
    """Two imports at once would both plan to create the same rows; on PostgreSQL the second
    waits here (a transaction-level advisory lock) and then plans against the first's result.
    SQLite allows one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _set_text(obj, field_name, value):
    for lang in LANGS:
        setattr(obj, f"{field_name}_{lang}", value.get(lang, ""))


def _apply(plan, *, by):
    exhibitions = {}
    for change in plan.of("exhibition"):
        exhibitions[change.label] = _apply_exhibition(change, by=by)
    companies = _apply_companies(plan.of("company"), by=by)
    # Company rows and their codes are written in bulk, which sends no signals.
    written = [companies[c.label] for c in plan.of("company") if c.action != "unchanged"]
    if written:
        Exhibition.objects.filter(applications__company__in=written).touch_directory()

    def exhibition(slug):
        if slug not in exhibitions:
            exhibitions[slug] = Exhibition.objects.get(slug=slug)
        return exhibitions[slug]

    def company(ref):
        if ref not in companies:
            companies[ref] = Company.objects.get(ref=ref)
        return companies[ref]

    participations = plan.of("participation")
    # Booths that move first let go of the old one, so that two companies can swap.
    for change in participations:
        if "booth" in change.fields and change.obj.booth_id:
            change.obj.booth = None
            change.obj.save(update_fields=["booth", "updated_at"])
    halls = {}
    for change in participations:
        if change.action != "unchanged":
            record = change.record
            _apply_participation(change, exhibition(record["exhibition"]), company(record["company"]), by, halls)
    problems = []
    for change in plan.of("meeting_hours"):
        if change.action != "unchanged":
            problems += _apply_meeting_hours(change, exhibition(change.label))
    if problems:
        raise ImportRejected(problems)
    interpreters = {}
    for change in plan.of("interpreter"):
        record = change.record
        interpreters[(record["exhibition"], record["ref"])] = _apply_interpreter(
            change, exhibition(record["exhibition"])
        )
    _apply_wishes(plan.of("wish"), exhibition, company, by)

    def interpreter(slug, ref):
        if (slug, ref) not in interpreters:
            interpreters[(slug, ref)] = Interpreter.objects.get(exhibition__slug=slug, ref=ref)
        return interpreters[(slug, ref)]

    floor = _Floor()
    for change in sorted(plan.of("meeting"), key=_meeting_order):
        if change.action != "unchanged":
            record = change.record
            problem = _apply_meeting(
                change,
                exhibition(record["exhibition"]),
                company(record["buyer"]),
                company(record["exhibitor"]),
                interpreter=interpreter,
                version=plan.version,
                floor=floor,
            )
            if problem is not None:
                problems.append(problem)
    if problems:
        raise ImportRejected(problems)


def _meeting_order(change):
    """Meetings that free their places go first, then those at a booth (seat 1), then the rest."""
    record = change.record
    booked = record["status"] in Meeting.BOOKED
    at_booth = bool(record.get("place")) and not TABLE_PLACE.match(record["place"])
    return (booked, not at_booth, change.index)


def _apply_meeting_hours(change, exhibition):
    """The exhibition's `meetings` block; returns problems (the services refuse to remove a slot
    or table that holds a meeting)."""
    block = change.record
    names = set(MEETING_HOURS_FIELDS) if change.action == "create" else set(change.fields)
    try:
        if "slot_minutes" in names and exhibition.meeting_slot_minutes != block["slot_minutes"]:
            exhibition.meeting_slot_minutes = block["slot_minutes"]
            exhibition.save(update_fields=["meeting_slot_minutes"])
        if "days" in names:
            MeetingHours.objects.filter(exhibition=exhibition).delete()
            MeetingBreak.objects.filter(exhibition=exhibition).delete()
            hours, breaks = [], []
            for day in block["days"]:
                date = datetime.date.fromisoformat(day["date"])
                hours.append(
                    MeetingHours(
                        exhibition=exhibition, day=date, starts=_clock(day["starts"]), ends=_clock(day["ends"])
                    )
                )
                for pause in day.get("breaks", []):
                    breaks.append(
                        MeetingBreak(
                            exhibition=exhibition, day=date, starts=_clock(pause["starts"]), ends=_clock(pause["ends"])
                        )
                    )
            MeetingHours.objects.bulk_create(hours)
            MeetingBreak.objects.bulk_create(breaks)
        if "tables" in names and "tables" in block:
            meeting_tables_set(exhibition=exhibition, count=block["tables"])
        if names & {"slot_minutes", "days"}:
            slots_generate(exhibition=exhibition)
    except MeetingError as exc:
        return [Problem(("exhibitions", change.index, "meetings"), exc.message)]
    return []


def _clock(value):
    return datetime.time.fromisoformat(value)


def _apply_interpreter(change, exhibition):
    interpreter = change.obj
    if change.action == "unchanged":
        return interpreter
    record = change.record
    if interpreter is None:
        interpreter = Interpreter(exhibition=exhibition, ref=record["ref"])
    names = [n for n in record if n in INTERPRETER_FIELDS] if change.action == "create" else change.fields
    for name in names:
        value = INTERPRETER_FIELDS[name][0](record[name])
        setattr(interpreter, name, " ".join(value) if name == "languages" else value)
    interpreter.save()
    return interpreter


def _apply_wishes(changes, exhibition, company, by):
    """New wishes in bulk (created by `by`), changed ones one by one."""
    new = []
    for change in changes:
        record = change.record
        if change.action == "create":
            new.append(
                Wish(
                    exhibition=exhibition(record["exhibition"]),
                    buyer=company(record["buyer"]),
                    exhibitor=company(record["exhibitor"]),
                    by=record["by"],
                    priority=record["priority"],
                    created_by=by,
                )
            )
        elif change.action == "update":
            Wish.objects.filter(pk=change.obj.pk).update(priority=record["priority"], updated_at=timezone.now())
    Wish.objects.bulk_create(new, batch_size=1000)


def _apply_exhibition(change, *, by):
    record = change.record
    if change.action == "unchanged":
        return change.obj
    exhibition = change.obj
    if exhibition is None:
        # The importing staff's cooperative runs it; without one (an admin, the command),
        # the first cooperative.
        cooperative = (by.cooperative if by is not None and by.cooperative_id else None) or (
            Cooperative.objects.order_by("id").first() or Cooperative.objects.create(**DEFAULT_COOPERATIVE)
        )
        exhibition = Exhibition(slug=record["slug"], cooperative=cooperative)
    names = list(record) if change.action == "create" else change.fields
    for name in names:
        if name == "title":
            _set_text(exhibition, "title", _norm_text(record["title"]))
        elif name in ("starts_on", "ends_on"):
            setattr(exhibition, name, datetime.date.fromisoformat(record[name]))
        elif name in EXHIBITION_FIELDS:
            setattr(exhibition, name, record[name])
    exhibition.save()
    return exhibition


def _fill_company(company, record, names):
    for name in names:
        value = COMPANY_FIELDS[name][0](record[name])
        if name in ("name", "description"):
            _set_text(company, name, value)
        elif name == "languages":
            company.languages = " ".join(value)
        elif name == "keywords":
            company.keywords = ", ".join(value)
        elif name not in ("hs_codes", "certifications"):
            setattr(company, name, value)


def _apply_companies(changes, *, by):
    """Companies: new ones in bulk (with their codes and certifications), changed ones one by
    one (so that the matcher hears of the change). Returns {ref: company}."""
    wanted = {
        name
        for c in changes
        if c.action == "create" or "certifications" in c.fields
        for name in COMPANY_FIELDS["certifications"][0](c.record.get("certifications", []))
    }
    certifications = {c.name: c for c in Certification.objects.filter(name__in=wanted)}
    missing = [Certification(name=name) for name in sorted(wanted - set(certifications))]
    if missing:
        Certification.objects.bulk_create(missing)
        certifications.update({c.name: c for c in Certification.objects.filter(name__in=[c.name for c in missing])})

    companies = {c.label: c.obj for c in changes if c.obj is not None}
    now = timezone.now()
    new = []
    for change in changes:
        if change.action == "create":
            company = Company(ref=change.record["ref"], kind=change.record["role"], status=Company.Status.APPROVED)
            company.reviewed_by, company.reviewed_at = by, now
            _fill_company(company, change.record, [n for n in change.record if n in COMPANY_FIELDS])
            new.append(company)
    Company.objects.bulk_create(new, batch_size=500)
    new = {c.ref: c for c in Company.objects.filter(ref__in=[c.ref for c in new])}
    companies.update(new)
    codes_through, certs_through = Company.hs_codes.through, Company.certifications.through
    codes, certs = [], []
    for change in changes:
        if change.action != "create":
            continue
        company = new[change.label]
        for code in COMPANY_FIELDS["hs_codes"][0](change.record.get("hs_codes", [])):
            codes.append(codes_through(company_id=company.pk, hscode_id=code))
        for name in COMPANY_FIELDS["certifications"][0](change.record.get("certifications", [])):
            certs.append(certs_through(company_id=company.pk, certification_id=certifications[name].pk))
    codes_through.objects.bulk_create(codes, batch_size=1000)
    certs_through.objects.bulk_create(certs, batch_size=1000)

    for change in changes:
        if change.action != "update":
            continue
        company, record = change.obj, change.record
        _fill_company(company, record, change.fields)
        company.save()
        if "hs_codes" in change.fields:
            company.hs_codes.set(COMPANY_FIELDS["hs_codes"][0](record["hs_codes"]))
        if "certifications" in change.fields:
            names = COMPANY_FIELDS["certifications"][0](record["certifications"])
            company.certifications.set([certifications[name] for name in names])
    return companies


def _booth(exhibition, code, halls):
    """The booth with that code, or a new one in the exhibition's hall "Imported"."""
    booth = Booth.objects.filter(exhibition=exhibition, code=code).first()
    if booth is not None:
        return booth
    if exhibition.pk not in halls:
        hall, _created = Hall.objects.get_or_create(
            exhibition=exhibition, name=IMPORTED_HALL, defaults={"position": 99}
        )
        halls[exhibition.pk] = [hall, hall.booths.count()]
    hall, placed = halls[exhibition.pk]
    halls[exhibition.pk][1] += 1
    return Booth.objects.create(exhibition=exhibition, hall=hall, code=code, x=(placed % 10) * 3, y=(placed // 10) * 3)


def _participation_fields(change):
    """The version 2 fields that importing this participation sets, with their values."""
    record = change.record
    names = [n for n in PARTICIPATION_FIELDS if n in record] if change.obj is None else change.fields
    return {n: PARTICIPATION_FIELDS[n][0](record[n]) for n in names if n in PARTICIPATION_FIELDS}


def _apply_participation(change, exhibition, company, by, halls):
    record = change.record
    values = _participation_fields(change)
    if company.kind == Company.Kind.BUYER:
        registration = change.obj or BuyerRegistration(exhibition=exhibition, company=company, submitted_by=by)
        registration.status = BuyerRegistration.Status.APPROVED
        if "visit_days" in values:
            registration.visit_days = values["visit_days"]
        if "languages" in values:
            registration.languages = " ".join(values["languages"])
        registration.save()
        return
    application = change.obj or ExhibitorApplication(exhibition=exhibition, company=company, submitted_by=by)
    application.status = ExhibitorApplication.Status.APPROVED
    if "booth" in record and (change.obj is None or "booth" in change.fields):
        application.booth = _booth(exhibition, record["booth"], halls)
    if "parallel_meetings" in values:
        application.parallel_meetings = values["parallel_meetings"]
    if "languages" in values:
        application.stand_languages = " ".join(values["languages"])
    application.save()


class _Floor:
    """Slots, places and exhibitor seats of the exhibitions whose meetings the import writes,
    loaded once per exhibition and kept up to date as meetings are saved."""

    def __init__(self):
        self.loaded = set()
        self.slots = {}  # (exhibition id, starts_at) -> Slot
        self.booths = {}  # (exhibition id, code) -> Booth
        self.tables = {}  # (exhibition id, number) -> MeetingTable
        self.seats = defaultdict(set)  # (slot id, exhibitor id) -> seats taken by booked meetings

    def load(self, exhibition):
        if exhibition.pk in self.loaded:
            return
        self.loaded.add(exhibition.pk)
        for slot in Slot.objects.filter(exhibition=exhibition):
            self.slots[(exhibition.pk, slot.starts_at)] = slot
        for booth in Booth.objects.filter(exhibition=exhibition):
            self.booths[(exhibition.pk, booth.code)] = booth
        for table in MeetingTable.objects.filter(exhibition=exhibition):
            self.tables[(exhibition.pk, table.number)] = table
        for slot_id, exhibitor_id, seat in Meeting.objects.filter(
            exhibition=exhibition, status__in=Meeting.BOOKED, slot__isnull=False
        ).values_list("slot_id", "exhibitor_id", "exhibitor_seat"):
            self.seats[(slot_id, exhibitor_id)].add(seat)

    def slot(self, exhibition, starts_at, ends_at):
        """The slot at `starts_at`, made (as in version 1) when there is none."""
        key = (exhibition.pk, starts_at)
        if key not in self.slots:
            self.slots[key] = Slot.objects.create(exhibition=exhibition, starts_at=starts_at, ends_at=ends_at)
        return self.slots[key]

    def place(self, exhibition, place):
        """(booth, table) for a place of the format: a booth code or table-N."""
        match = TABLE_PLACE.match(place)
        if match:
            return None, self.tables[(exhibition.pk, int(match.group(1)))]
        return self.booths[(exhibition.pk, place)], None

    def free_seat(self, slot_id, exhibitor_id):
        taken = self.seats[(slot_id, exhibitor_id)]
        return next(n for n in range(1, len(taken) + 2) if n not in taken)


def _apply_meeting(change, exhibition, buyer, exhibitor, *, interpreter, version, floor):
    """Create or update one meeting; returns a Problem when the database refuses it (someone or
    some place already booked at that time), else None."""
    floor.load(exhibition)
    record = change.record
    meeting = change.obj
    was = (
        (meeting.slot_id, meeting.exhibitor_seat) if meeting is not None and meeting.status in Meeting.BOOKED else None
    )
    if meeting is None:
        start = _parse_datetime(record["starts_at"]) if "starts_at" in record else None
        meeting = Meeting(
            exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, starts_at=start, origin=Meeting.Origin.IMPORT
        )
        if start is not None:
            meeting.ends_at = start + datetime.timedelta(minutes=exhibition.meeting_slot_minutes)
    names = [n for n in record if n in MEETING_FIELDS] if change.action == "create" else change.fields
    for name in names:
        if name == "place":
            meeting.booth, meeting.table = floor.place(exhibition, record["place"])
        elif name == "interpreter":
            meeting.interpreter = interpreter(exhibition.slug, record["interpreter"])
        else:
            setattr(meeting, name, MEETING_FIELDS[name][0](record[name]))
    # The model wants a slot for an accepted meeting; version 2 gives held ones theirs too,
    # so that the database keeps everyone in one meeting at a time.
    wants_slot = meeting.status == Meeting.Status.ACCEPTED or (
        version == 2 and meeting.status in Meeting.BOOKED and meeting.starts_at is not None
    )
    if wants_slot and meeting.slot_id is None:
        ends_at = meeting.ends_at or meeting.starts_at + datetime.timedelta(minutes=exhibition.meeting_slot_minutes)
        meeting.slot = floor.slot(exhibition, meeting.starts_at, ends_at)
        if "ends_at" not in record:
            meeting.ends_at = meeting.slot.ends_at
    booked = meeting.status in Meeting.BOOKED and meeting.slot_id is not None
    if booked and (was is None or was[0] != meeting.slot_id):
        # Imported meetings take the exhibitor's first free seat in their slot, like booked ones.
        meeting.exhibitor_seat = floor.free_seat(meeting.slot_id, exhibitor.pk)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as exc:
        return Problem(
            ("meetings", change.index),
            _("the database refused this meeting: someone or some place is already booked at that time (%(error)s)")
            % {"error": exc},
        )
    if was is not None:
        floor.seats[(was[0], exhibitor.pk)].discard(was[1])
    if booked:
        floor.seats[(meeting.slot_id, exhibitor.pk)].add(meeting.exhibitor_seat)
    return None
