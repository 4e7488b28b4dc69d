"""Time the printed agendas' PDF drawing alone (no database: unsaved meetings), in English and
Japanese, for one booth's day and for 60 booths (what staff print for a day).

    /work/venv/bin/python bench/agenda_pdf.py [out.pdf]   (out.pdf: also one Japanese page to look at)
"""

import datetime
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()
from django.utils import translation  # noqa: E402 (after django.setup)

from companies.models import Company, User  # noqa: E402
from exhibitions.models import Booth, Exhibition, Meeting  # noqa: E402
from exhibitions.showfloor import agendas  # noqa: E402

ex = Exhibition(
    slug="bench",
    title_en="Korea Mold Show",
    timezone="Asia/Tokyo",
    starts_on=datetime.date(2030, 4, 14),
    ends_on=datetime.date(2030, 4, 15),
)
start = datetime.datetime(2030, 4, 14, 0, 0, tzinfo=datetime.UTC)


def sections(booths, per_booth):
    out = []
    for b in range(booths):
        exhibitor = Company(pk=1000 + b, name_en=f"Exhibitor {b}", name_ko=f"금형 {b}")
        ms = []
        for i in range(per_booth):
            buyer = Company(pk=i + 1, name_en=f"Buyer {i}", name_ja=f"東海商事 {i}")
            m = Meeting(
                buyer=buyer,
                exhibitor=exhibitor,
                starts_at=start + datetime.timedelta(minutes=30 * i),
                ends_at=start + datetime.timedelta(minutes=30 * i + 30),
            )
            m.buyer_person = User(full_name=f"佐藤 {i}", email="x@example.com")
            m.booth = Booth(code=f"A-{b}")
            ms.append(m)
        out.append((f"Exhibitor {b} · booth A-{b}", exhibitor.pk, ms))
    return out


print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
for lang in ("en", "ja"):
    with translation.override(lang):
        for booths, per in ((1, 16), (60, 16)):
            s = sections(booths, per)
            t = time.perf_counter()
            pdf = agendas.agenda_pdf(exhibition=ex, day=ex.starts_on, sections=s, language=lang)
            dt = time.perf_counter() - t
            print(f"{lang} booths={booths} meetings={booths * per}: {dt * 1000:.0f} ms, {len(pdf) // 1024} KiB")

if len(sys.argv) > 1:  # also write one Japanese booth page to look at
    with translation.override("ja"), open(sys.argv[1], "wb") as out:
        out.write(agendas.agenda_pdf(exhibition=ex, day=ex.starts_on, sections=sections(1, 6), language="ja"))
