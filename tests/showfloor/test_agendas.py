"""Printed agendas: a person's day, a booth's day, every booth's day for staff; in the reader's
language with the CJK fonts, times in the exhibition's time zone, a fixed number of queries."""

import base64
import codecs
import datetime
import re
import zlib

import pytest
from django.urls import reverse

from exhibitions.models import Interpreter, Slot
from exhibitions.showfloor import agendas
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.date(2030, 4, 14)


def pdf_text(pdf):
    """The strings a reportlab PDF draws, each read as WinAnsi and as UTF-16 (the CID fonts)."""
    assert pdf.startswith(b"%PDF-")
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = stream.strip()
        try:
            content = zlib.decompress(base64.a85decode(data, adobe=True) if data.endswith(b"~>") else data)
        except (ValueError, zlib.error):
            continue
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", content):
            raw = codecs.escape_decode(literal.replace(rb"\(", b"(").replace(rb"\)", b")"))[0]
            found.append(raw.decode("cp1252", errors="replace"))  # the standard fonts' encoding
            if len(raw) % 2 == 0:
                found.append(raw.decode("utf-16-be", errors="ignore"))
    return "\n".join(found)


def page_count(pdf):
    return int(re.search(rb"/Count (\d+)", pdf).group(1))


@pytest.fixture
def show(staff, exhibitor_owner, exhibitor_colleague, other_exhibitor, buyer_owner, other_buyer):
    exhibition = factories.ExhibitionFactory(
        cooperative=staff.cooperative, timezone="Asia/Seoul", starts_on=DAY, ends_on=DAY + datetime.timedelta(days=1)
    )
    hall = factories.HallFactory(exhibition=exhibition)
    for n, person in enumerate((exhibitor_owner, other_exhibitor)):
        booth = factories.BoothFactory(hall=hall, exhibition=exhibition, code=f"A-{n + 1}")
        factories.ApplicationFactory(exhibition=exhibition, company=person.company, status="approved", booth=booth)
    for person in (buyer_owner, other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=person.company)
    return exhibition


def meeting(show, exhibitor, buyer_person, hour, minute=0, **extra):
    # Times are UTC; Seoul is nine hours ahead.
    start = datetime.datetime(2030, 4, 14, tzinfo=datetime.UTC) + datetime.timedelta(hours=hour, minutes=minute)
    slot, _ = Slot.objects.get_or_create(
        exhibition=show, starts_at=start, defaults={"ends_at": start + datetime.timedelta(minutes=30)}
    )
    booth = exhibitor.applications.get(exhibition=show).booth
    defaults = {"booth": booth} if "table" not in extra else {}
    return factories.MeetingFactory(
        exhibition=show,
        exhibitor=exhibitor,
        buyer=buyer_person.company,
        buyer_person=buyer_person,
        status="accepted",
        slot=slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        **defaults,
        **extra,
    )


def get(client, name, show, **query):
    return client.get(reverse(f"exhibitions:{name}", kwargs={"slug": show.slug}), query)


def test_a_buyer_prints_their_day_in_japanese_with_local_times(
    client, show, exhibitor_owner, other_exhibitor, buyer_owner
):
    buyer_owner.preferred_language = "ja"
    buyer_owner.save(update_fields=["preferred_language"])
    interpreter = Interpreter.objects.create(exhibition=show, ref="i1", name="Park Interp", languages="ko ja")
    meeting(show, exhibitor_owner.company, buyer_owner, 1, interpreter=interpreter)  # 10:00 in Seoul
    table = factories.MeetingTableFactory(exhibition=show, number=7)
    meeting(show, other_exhibitor.company, buyer_owner, 2, table=table)
    meeting(show, exhibitor_owner.company, buyer_owner, 1 + 24)  # the next day: not printed
    client.force_login(buyer_owner)
    response = get(client, "agenda_pdf", show, day="2030-04-14")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "10:00–10:30" in text and "11:00–11:30" in text and "10:00–10:30" in text
    assert exhibitor_owner.company.name_en in text and other_exhibitor.company.name_en in text
    assert "Park Interp" in text
    assert "ブース A-1" in text and "テーブル7" in text  # the place, in the reader's language
    assert "時間" in text  # the column heading in Japanese
    assert b"HeiseiKakuGo-W5" in response.content
    assert text.count("10:00–10:30") == 1  # the next day's meeting is not on this page


def test_a_korean_exhibitor_prints_the_booths_day(
    client, show, exhibitor_owner, exhibitor_colleague, buyer_owner, other_buyer
):
    exhibitor_colleague.preferred_language = "ko"
    exhibitor_colleague.save(update_fields=["preferred_language"])
    meeting(show, exhibitor_owner.company, buyer_owner, 1)
    meeting(show, exhibitor_owner.company, other_buyer, 2)
    client.force_login(exhibitor_colleague)
    text = pdf_text(get(client, "booth_agenda_pdf", show, day="2030-04-14").content)
    assert buyer_owner.company.name_en in text and other_buyer.company.name_en in text
    assert "부스 A-1" in text and "시간" in text
    # The personal agenda holds only the meetings of the person (none named the colleague,
    # but a meeting without a representative is the whole company's).
    assert buyer_owner.company.name_en in pdf_text(get(client, "agenda_pdf", show, day="2030-04-14").content)


def test_staff_print_every_booth_one_page_each(
    client, show, staff, exhibitor_owner, other_exhibitor, buyer_owner, other_buyer
):
    meeting(show, exhibitor_owner.company, buyer_owner, 1)
    meeting(show, other_exhibitor.company, other_buyer, 1)
    client.force_login(staff)
    response = get(client, "agendas_pdf", show, day="2030-04-14")
    assert page_count(response.content) == 2
    text = pdf_text(response.content)
    assert "A-1" in text and "A-2" in text
    # A day without meetings prints no booth page but still a valid PDF.
    assert get(client, "agendas_pdf", show, day="2030-04-15").content.startswith(b"%PDF-")


@pytest.mark.parametrize("day", ["9999-99-99", "2030-04-13", "2030-04-16", "tomorrow"])
def test_a_day_outside_the_exhibition_is_404(client, show, buyer_owner, day):
    client.force_login(buyer_owner)
    assert get(client, "agenda_pdf", show, day=day).status_code == 404


def test_nobody_prints_another_companys_booth(client, show, exhibitor_owner, other_exhibitor, buyer_owner):
    meeting(show, exhibitor_owner.company, buyer_owner, 1)
    client.force_login(other_exhibitor)
    text = pdf_text(get(client, "booth_agenda_pdf", show, day="2030-04-14").content)
    assert buyer_owner.company.name_en not in text
    client.force_login(buyer_owner)
    assert get(client, "booth_agenda_pdf", show).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_agendas_read_a_fixed_number_of_queries(client, show, staff, exhibitor_owner, count, django_assert_num_queries):
    buyers = [factories.MembershipFactory(company=factories.BuyerFactory()).user for _ in range(count)]
    for n, person in enumerate(buyers):
        factories.BuyerRegistrationFactory(exhibition=show, company=person.company)
        meeting(show, exhibitor_owner.company, person, 0, minute=30 * n)
    client.force_login(exhibitor_owner)
    get(client, "booth_agenda_pdf", show, day="2030-04-14")
    with django_assert_num_queries(6):
        assert get(client, "booth_agenda_pdf", show, day="2030-04-14").status_code == 200
    with django_assert_num_queries(5):
        assert get(client, "agenda_pdf", show, day="2030-04-14").status_code == 200
    client.force_login(staff)
    get(client, "agendas_pdf", show, day="2030-04-14")
    with django_assert_num_queries(6):
        assert get(client, "agendas_pdf", show, day="2030-04-14").status_code == 200


def test_default_day_is_today_while_the_show_runs_else_its_first_day(show):
    assert agendas.default_day(show) == show.starts_on  # the show is in 2030
