"""The demo's people and companies: the cooperative and its staff, about 60 Korean
exhibitors (KR-0001…KR-0060) and 80 Japanese buyers (JP-0001…JP-0080), and one login per
role. Deterministic (a seeded generator) and idempotent: a row is written only when it
differs from what the demo wants, so a second run changes nothing.
"""

import datetime
import random
import re

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import demo_data as d
from .models import Certification, Company, Cooperative, Membership, User

SEED = 2027
DEMO_SALT = "fairlinkdemo2027"
EXHIBITORS = 60
BUYERS = 80
PENDING_REFS = {"KR-0059", "KR-0060", "JP-0079", "JP-0080"}  # waiting for vetting
REVIEWED_AT = datetime.datetime(2026, 11, 2, 1, 0, tzinfo=datetime.UTC)
COMPANY_FIELDS = (
    "kind",
    "name_en",
    "name_ko",
    "name_ja",
    "description_en",
    "description_ko",
    "description_ja",
    "country",
    "city",
    "website",
    "languages",
    "employees",
    "founded",
    "keywords",
    "status",
)

# The first companies are the ones of shared/formats/example.json, so that the example
# file and the demo tell the same story.
FIXED = {
    "KR-0001": {
        "specialty": "injection_auto",
        "city": ("Incheon", "인천"),
        "name": ("Hanil", "한일", "ハニル"),
        "suffix": ("Precision Mold", "정밀금형", "精密金型"),
        "hs_codes": ["848071", "848020", "870829"],
        "certifications": ["IATF 16949", "ISO 9001"],
        "employees": 85,
        "founded": 1994,
        "languages": "ko en ja",
        "description_en": "Multi-cavity injection moulds for automotive interior parts, up to 1,300 t presses.",
        "values": {"part_ko": "내장 트림", "tonnage": 1300},
    },
    "KR-0002": {
        "specialty": "press",
        "city": ("Changwon", "창원"),
        "name": ("Daesung", "대성", "テソン"),
        "suffix": ("Press Die", "프레스금형", "プレス金型"),
        "hs_codes": ["820730", "846229"],
        "languages": "ko",
    },
    "JP-0001": {
        "sector": "auto_interior",
        "city": ("Nagoya", "名古屋"),
        "name": ("Tokai", "東海"),
        "suffix": ("Auto Interior", "オートインテリア"),
        "hs_codes": ["3926", "848071"],
        "languages": "ja",
        "description_ja": "自動車内装部品の成形メーカー。金型の海外調達を検討中。",
    },
}


def _weighted(rng, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


def _website(name_en, tld):
    return f"https://www.{re.sub(r'[^a-z0-9]', '', name_en.lower())}.example.{tld}"


def _exhibitor_profiles(rng):
    specialties = list(d.SPECIALTIES.items())
    parts = d.KOREAN_NAME_PARTS[:]
    rng.shuffle(parts)
    used = {("Hanil", "Precision Mold"), ("Daesung", "Press Die")}
    profiles = []
    for n in range(1, EXHIBITORS + 1):
        ref = f"KR-{n:04d}"
        fixed = FIXED.get(ref, {})
        key = fixed.get("specialty") or _weighted(rng, [((k, s), s["weight"]) for k, s in specialties])[0]
        spec = d.SPECIALTIES[key]
        city_en, city_ko = fixed.get("city") or _weighted(rng, d.KOREAN_CITIES)
        name = fixed.get("name")
        suffix = fixed.get("suffix")
        i = n
        while name is None:
            candidate, ending = parts[i % len(parts)], spec["suffixes"][(i // len(parts)) % len(spec["suffixes"])]
            if (candidate[0], ending[0]) not in used:
                name, suffix = candidate, ending
                used.add((candidate[0], ending[0]))
            i += 1
        part_en, part_ko = rng.choice(spec["parts"])
        values = {
            "part_en": part_en,
            "part_ko": part_ko,
            "cavities": rng.choice(["1+1", "2", "4", "8", "16"]),
            "tonnage": rng.choice([350, 450, 650, 850, 1300, 1800, 2500]),
            "weeks": rng.choice([4, 5, 6, 8]),
            "tolerance": rng.choice(["0.005", "0.01", "0.02"]),
            "strength": rng.choice([590, 780, 980, 1180]),
        } | fixed.get("values", {})
        languages = fixed.get("languages") or rng.choice(["ko en", "ko en", "ko en ja", "ko", "ko ja"])
        codes = list(spec["hs"]) + rng.sample(spec["extra_hs"], rng.randint(0, 2))
        keywords = rng.sample(spec["keywords_en"], 3) + rng.sample(spec["keywords_ko"], 2)
        certifications = ["ISO 9001"]
        if key in ("injection_auto", "press", "diecast", "plastic_parts") and rng.random() < 0.6:
            certifications.append("IATF 16949")
        if rng.random() < 0.4:
            certifications.append("ISO 14001")
        employees = rng.randint(18, 420)
        founded = rng.randint(1978, 2016)
        profiles.append(
            {
                "ref": ref,
                "kind": Company.Kind.EXHIBITOR,
                "name_en": f"{name[0]} {suffix[0]}",
                "name_ko": f"{name[1]}{suffix[1]}",
                "name_ja": f"{name[2]}{suffix[2]}" if "ja" in languages else "",
                "description_en": fixed.get("description_en") or spec["en"].format(**values),
                "description_ko": spec["ko"].format(**values),
                "description_ja": "",
                "country": "KR",
                "city": city_en,
                "website": _website(f"{name[0]}{suffix[0]}", "kr"),
                "languages": languages,
                "employees": fixed.get("employees", employees),
                "founded": fixed.get("founded", founded),
                "keywords": ", ".join(keywords),
                "status": Company.Status.PENDING if ref in PENDING_REFS else Company.Status.APPROVED,
                "hs_codes": fixed.get("hs_codes") or codes,
                "certifications": fixed.get("certifications") or certifications,
            }
        )
    return profiles


def _buyer_profiles(rng):
    sectors = list(d.BUYER_SECTORS.items())
    parts = d.JAPANESE_NAME_PARTS[:]
    rng.shuffle(parts)
    used = {("Tokai", "Auto Interior")}
    profiles = []
    for n in range(1, BUYERS + 1):
        ref = f"JP-{n:04d}"
        fixed = FIXED.get(ref, {})
        key = fixed.get("sector") or _weighted(rng, [((k, s), s["weight"]) for k, s in sectors])[0]
        sector = d.BUYER_SECTORS[key]
        city_en, city_ja = fixed.get("city") or _weighted(rng, d.JAPANESE_CITIES)
        name, suffix = fixed.get("name"), fixed.get("suffix")
        i = n
        while name is None:
            candidate, ending = parts[i % len(parts)], sector["suffixes"][(i // len(parts)) % len(sector["suffixes"])]
            if (candidate[0], ending[0]) not in used:
                name, suffix = candidate, ending
                used.add((candidate[0], ending[0]))
            i += 1
        part_en, part_ja = rng.choice(sector["parts"])
        tier_n = rng.choice([1, 2, 2])
        values = {
            "city_ja": city_ja,
            "part_en": part_en,
            "part_ja": part_ja,
            "tier": "一次サプライヤー" if tier_n == 1 else "二次サプライヤー",
            "tier_en": f"tier {tier_n}",
            "tier_n": tier_n,
        }
        languages = fixed.get("languages") or rng.choice(["ja", "ja", "ja en"])
        codes = list(sector["hs"]) + rng.sample(sector["extra_hs"], rng.randint(0, 2))
        certifications = [c for c in sector["certifications"] if rng.random() < 0.7]
        profiles.append(
            {
                "ref": ref,
                "kind": Company.Kind.BUYER,
                "name_en": f"{name[0]} {suffix[0]}",
                "name_ko": "",
                "name_ja": f"{name[1]}{suffix[1]}",
                "description_en": sector["en"].format(**values) if "en" in languages else "",
                "description_ko": "",
                "description_ja": fixed.get("description_ja") or sector["ja"].format(**values),
                "country": "JP",
                "city": city_en,
                "website": _website(f"{name[0]}{suffix[0]}", "jp"),
                "languages": languages,
                "employees": rng.randint(60, 3200),
                "founded": rng.randint(1946, 2004),
                "keywords": ", ".join(rng.sample(sector["keywords"], 3)),
                "status": Company.Status.PENDING if ref in PENDING_REFS else Company.Status.APPROVED,
                "hs_codes": fixed.get("hs_codes") or codes,
                "certifications": certifications,
            }
        )
    return profiles


def company_profiles():
    """Every demo company as a dict of field values (+ hs_codes, certifications lists)."""
    rng = random.Random(SEED)
    return _exhibitor_profiles(rng) + _buyer_profiles(rng)


def _cooperative():
    cooperative = Cooperative.objects.filter(name_en=d.COOPERATIVE["name_en"]).order_by("id").first()
    if cooperative is None:
        return Cooperative.objects.create(**d.COOPERATIVE), 1
    changed = [k for k, v in d.COOPERATIVE.items() if getattr(cooperative, k) != v]
    for k in changed:
        setattr(cooperative, k, d.COOPERATIVE[k])
    if changed:
        cooperative.save(update_fields=changed)
    return cooperative, 0


def _login(email, *, password_hash, full_name, job_title, language, **flags):
    """Create or correct one demo login; returns (user, written)."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User(email=email)
    wanted = {
        "full_name": full_name,
        "job_title": job_title,
        "preferred_language": language,
        "is_active": True,
        **flags,
    }
    changed = [k for k, v in wanted.items() if getattr(user, k) != v]
    for k in changed:
        setattr(user, k, wanted[k])
    if user.password != password_hash:
        user.password = password_hash
        changed.append("password")
    if created:
        user.save()
    elif changed:
        user.save(update_fields=changed)
    address = EmailAddress.objects.filter(user=user, email=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user, bool(created or changed)


def _membership(user, company):
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        Membership.objects.create(user=user, company=company, role=Membership.Role.OWNER)
    elif (membership.company_id, membership.role) != (company.pk, Membership.Role.OWNER):
        membership.company, membership.role = company, Membership.Role.OWNER
        membership.save(update_fields=["company", "role"])


def _companies(profiles, reviewer):
    """Create missing companies and correct changed ones; returns (created, updated)."""
    names = sorted({c for p in profiles for c in p["certifications"]} | set(d.CERTIFICATIONS))
    known = set(Certification.objects.filter(name__in=names).values_list("name", flat=True))
    Certification.objects.bulk_create([Certification(name=n) for n in names if n not in known])
    certifications = dict(Certification.objects.filter(name__in=names).values_list("name", "pk"))

    existing = {
        c.ref: c
        for c in Company.objects.filter(ref__in=[p["ref"] for p in profiles]).prefetch_related(
            "hs_codes", "certifications"
        )
    }
    new = [
        Company(
            ref=p["ref"],
            reviewed_by=reviewer if p["status"] == Company.Status.APPROVED else None,
            reviewed_at=REVIEWED_AT if p["status"] == Company.Status.APPROVED else None,
            **{k: p[k] for k in COMPANY_FIELDS},
        )
        for p in profiles
        if p["ref"] not in existing
    ]
    Company.objects.bulk_create(new)
    created = {c.ref: c for c in Company.objects.filter(ref__in=[c.ref for c in new])}
    codes_through = Company.hs_codes.through
    certs_through = Company.certifications.through
    codes_through.objects.bulk_create(
        [
            codes_through(company_id=created[p["ref"]].pk, hscode_id=code)
            for p in profiles
            if p["ref"] in created
            for code in sorted(set(p["hs_codes"]))
        ]
    )
    certs_through.objects.bulk_create(
        [
            certs_through(company_id=created[p["ref"]].pk, certification_id=certifications[name])
            for p in profiles
            if p["ref"] in created
            for name in sorted(set(p["certifications"]))
        ]
    )

    updated = 0
    for p in profiles:
        company = existing.get(p["ref"])
        if company is None:
            continue
        changed = [k for k in COMPANY_FIELDS if getattr(company, k) != p[k]]
        for k in changed:
            setattr(company, k, p[k])
        if changed:
            company.save(update_fields=[*changed, "updated_at"])
        codes_differ = {h.code for h in company.hs_codes.all()} != set(p["hs_codes"])
        if codes_differ:
            company.hs_codes.set(p["hs_codes"])
        certs_differ = {c.name for c in company.certifications.all()} != set(p["certifications"])
        if certs_differ:
            company.certifications.set([certifications[n] for n in p["certifications"]])
        updated += bool(changed or codes_differ or certs_differ)
    return len(new), updated


def seed(*, stdout=None):
    """Create or correct the demo's cooperative, logins and companies. Returns counts.

    Side effects: writes Cooperative, User (+ allauth EmailAddress, verified), Membership,
    Certification and Company rows (with their HS codes and certifications); only rows that
    differ from the demo are written. Sends nothing.
    """
    profiles = company_profiles()
    # One hash for the four logins, with a fixed salt: the same every run, so that a second run
    # compares strings instead of hashing again (the password is published anyway).
    password_hash = make_password(d.PASSWORD, salt=DEMO_SALT)
    with transaction.atomic():
        cooperative, cooperatives_created = _cooperative()
        flags = {"staff": {"cooperative": cooperative}, "admin": {"is_staff": True, "is_superuser": True}}
        users, logins_written = {}, 0
        for email, (role, full_name, job_title, language) in d.LOGINS.items():
            if role in flags:
                users[role], written = _login(
                    email,
                    password_hash=password_hash,
                    full_name=full_name,
                    job_title=job_title,
                    language=language,
                    **flags[role],
                )
                logins_written += written
        created, updated = _companies(profiles, users["staff"])
        for email, (role, full_name, job_title, language) in d.LOGINS.items():
            if role not in flags:
                user, written = _login(
                    email, password_hash=password_hash, full_name=full_name, job_title=job_title, language=language
                )
                logins_written += written
                _membership(user, Company.objects.get(ref="KR-0001" if role == "exhibitor" else "JP-0001"))
    counts = {
        "companies_created": created,
        "companies_updated": updated,
        "companies": len(profiles),
        "logins_written": logins_written,
        "cooperatives_created": cooperatives_created,
    }
    if stdout is not None:
        stdout.write(
            f"Companies: {EXHIBITORS} Korean exhibitors and {BUYERS} Japanese buyers "
            f"({created} created, {updated} updated, {len(profiles) - created - updated} unchanged; "
            f"{len(PENDING_REFS)} waiting for vetting)."
        )
    return counts


def login_lines():
    """The demo logins, one line each, for the command's last words."""
    labels = {
        "staff": "cooperative staff",
        "admin": "admin (superuser)",
        "exhibitor": "exhibitor, owner of KR-0001",
        "buyer": "buyer, owner of JP-0001",
    }
    return [f"  {email:<34} {labels[role]}" for email, (role, *_rest) in d.LOGINS.items()]
