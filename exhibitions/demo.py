"""The exhibitions part of `seed_demo`, on top of the companies demo.

Two shows of the Korea Die Mold Cooperative: Mold Japan 2025 in Osaka (closed, last
year) and Mold Japan 2027 at Tokyo Big Sight (open for applications, next spring). Each has
halls and a grid of booths, approved exhibitors with booths (KR-0001, the exhibitor login,
at B-07), and buyer registrations. The open one also has applications waiting, waitlisted
and rejected, and registrations waiting for approval.

Idempotent: rows are found by their natural keys (slug; hall name; booth code; company)
and written only when they differ from what the demo wants, so a second run changes
nothing. Rows are written directly (no notices or emails for demo decisions).
"""

import datetime

from django.db import transaction

from companies.models import Company, Cooperative, User

from .floorplan import grid_layout
from .models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication, Hall, Representative

EXHIBITOR_LOGIN = "exhibitor@demo.fairlink.example"

SHOWS = {
    "mold-japan-2025": {
        "title_en": "Mold Japan 2025 – Korean Die & Mould Pavilion",
        "title_ko": "몰드 재팬 2025 – 한국 금형관",
        "title_ja": "金型ジャパン2025 韓国金型パビリオン",
        "description_en": "Korean die and mould makers meet Japanese manufacturers in Osaka.",
        "description_ko": "오사카에서 한국 금형 기업과 일본 제조사가 만나는 상담회입니다.",
        "description_ja": "大阪で韓国の金型メーカーと日本の製造業が出会う商談展示会です。",
        "venue": "INTEX Osaka",
        "city": "Osaka",
        "country": "JP",
        "timezone": "Asia/Tokyo",
        "starts_on": datetime.date(2025, 4, 16),
        "ends_on": datetime.date(2025, 4, 18),
        "application_deadline": datetime.date(2025, 2, 28),
        "status": Exhibition.Status.CLOSED,
        "halls": [("Hall 6", "A-D", "1-12")],
        # (first, last) exhibitor numbers by status; booths go to the approved ones in order.
        "applications": {"approved": (1, 36)},
        "registrations": {"approved": (1, 45)},
    },
    "mold-japan-2027": {
        "title_en": "Mold Japan 2027 – Korean Die & Mould Pavilion",
        "title_ko": "몰드 재팬 2027 – 한국 금형관",
        "title_ja": "金型ジャパン2027 韓国金型パビリオン",
        "description_en": (
            "Sixty Korean makers of injection moulds, press dies and die-casting dies at Tokyo Big Sight. "
            "Book business meetings before the show."
        ),
        "description_ko": "도쿄 빅사이트에서 열리는 한국 금형 공동관입니다. 전시 전에 바이어 상담을 예약하세요.",
        "description_ja": "東京ビッグサイトの韓国金型パビリオン。会期前に商談をご予約ください。",
        "venue": "Tokyo Big Sight, East Hall 4",
        "city": "Tokyo",
        "country": "JP",
        "timezone": "Asia/Tokyo",
        "starts_on": datetime.date(2027, 4, 14),
        "ends_on": datetime.date(2027, 4, 16),
        "application_deadline": datetime.date(2027, 2, 26),
        "status": Exhibition.Status.OPEN,
        "halls": [("East 4", "A-E", "1-10"), ("East 5", "F-G", "1-10")],
        "applications": {
            "approved": (1, 40),
            "submitted": (41, 48),
            "waitlisted": (49, 53),
            "rejected": (54, 56),
        },
        "registrations": {"approved": (1, 60), "pending": (61, 70)},
    },
}
REJECTION = "The pavilion is full for this product group; we suggest the autumn show."
ROLES = ["CEO", "Sales manager", "Engineer", "Overseas sales"]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _sync(model, lookup, values, counts):
    """Get the row by `lookup`; create it, or save only the fields that differ."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    return obj


def _set_m2m(manager, wanted):
    wanted = set(wanted)
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(wanted)


def _exhibition(slug, spec, cooperative, counts):
    fields = {k: v for k, v in spec.items() if k not in ("halls", "applications", "registrations")}
    return _sync(Exhibition, {"slug": slug}, dict(fields, cooperative=cooperative), counts)


def _booths(exhibition, spec, counts):
    """Halls laid out side by side; returns booths in code order."""
    origin_x = 0
    for position, (name, rows, numbers) in enumerate(spec["halls"]):
        hall = _sync(Hall, {"exhibition": exhibition, "name": name}, {"position": position}, counts)
        planned = grid_layout(rows=rows, numbers=numbers, size="3x3", kind=Booth.Kind.STANDARD, price=0)
        width = max(b.x + int(b.width) for b in planned)
        for booth in planned:
            corner = booth.x == 0 or booth.x + int(booth.width) == width
            _sync(
                Booth,
                {"exhibition": exhibition, "code": booth.code},
                {
                    "hall": hall,
                    "kind": Booth.Kind.CORNER if corner else Booth.Kind.STANDARD,
                    "width_m": booth.width,
                    "depth_m": booth.depth,
                    "price": 1_800_000 if corner else 1_500_000,
                    "x": booth.x + origin_x,
                    "y": booth.y,
                },
                counts,
            )
        origin_x += width + 4
    return {booth.code: booth for booth in Booth.objects.filter(exhibition=exhibition)}


def _refs(prefix, first_last):
    first, last = first_last
    return [f"{prefix}-{n:04d}" for n in range(first, last + 1)]


def _booth_order(booths):
    """B-07 first for KR-0001 (the exhibitor login), then the rest in code order."""
    codes = sorted(booths)
    if "B-07" in codes:
        codes.remove("B-07")
        codes.insert(0, "B-07")
    return [booths[code] for code in codes]


def _applications(exhibition, spec, booths, companies, counts):
    login = User.objects.filter(email=EXHIBITOR_LOGIN).first()
    free_booths = iter(_booth_order(booths))
    for status, span in spec["applications"].items():
        for ref in _refs("KR", span):
            company = companies.get(ref)
            if company is None or not company.is_approved:
                continue
            booth = next(free_booths, None) if status == "approved" else None
            codes = sorted(company.hs_codes.values_list("code", flat=True))
            number = int(ref[3:])
            application = _sync(
                ExhibitorApplication,
                {"exhibition": exhibition, "company": company},
                {
                    "status": status,
                    "booth": booth,
                    "booth_kind": booth.kind if booth else Booth.Kind.STANDARD,
                    "stand_languages": company.languages or "ko",
                    "needs_interpreter": "ja" not in company.languages,
                    "needs_power": number % 3 == 0,
                    "needs_furniture": number % 4 == 0,
                    "decision_reason": REJECTION if status == "rejected" else "",
                },
                counts,
            )
            _set_m2m(application.products, codes[:3])
            for index in range(1 + number % 2):
                user = login if login and login.company == company and index == 0 else None
                name = (user.full_name or user.email.split("@")[0]) if user else f"{company.name_en} {ROLES[index]}"
                _sync(
                    Representative,
                    {"application": application, "name": name},
                    {
                        "user": user,
                        "role": ROLES[index],
                        "email": user.email if user else "",
                        "languages": company.languages or "ko",
                    },
                    counts,
                )


def _registrations(exhibition, spec, companies, counts):
    days = [day.isoformat() for day in exhibition.days]
    for status, span in spec["registrations"].items():
        for ref in _refs("JP", span):
            company = companies.get(ref)
            if company is None or not company.is_approved:
                continue
            number = int(ref[3:])
            registration = _sync(
                BuyerRegistration,
                {"exhibition": exhibition, "company": company},
                {
                    "status": status,
                    "visit_days": days if number % 3 == 0 else days[number % len(days) :][:2],
                    "sourcing_notes": company.description_ja[:200],
                    "languages": company.languages or "ja",
                    "visitors": 1 + number % 3,
                },
                counts,
            )
            _set_m2m(registration.sourcing, company.hs_codes.values_list("code", flat=True))


def seed(stdout=None):
    """Create or refresh the two demo exhibitions. Returns counts of rows created/updated."""
    counts = {"created": 0, "updated": 0}
    cooperative = Cooperative.objects.order_by("id").first()
    if cooperative is None or not Company.objects.exists():
        _say(stdout, "Exhibitions: no cooperative or companies yet; run the companies demo first.")
        return counts
    companies = {company.ref: company for company in Company.objects.filter(ref__regex=r"^(KR|JP)-\d{4}$")}
    with transaction.atomic():
        for slug, spec in SHOWS.items():
            exhibition = _exhibition(slug, spec, cooperative, counts)
            booths = _booths(exhibition, spec, counts)
            _applications(exhibition, spec, booths, companies, counts)
            _registrations(exhibition, spec, companies, counts)
    _say(
        stdout,
        f"Exhibitions: {', '.join(SHOWS)} ready ({counts['created']} rows created, {counts['updated']} updated).",
    )
    return counts
