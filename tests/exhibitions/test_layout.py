"""Halls and booths: the grid generator, CSV upload (all or nothing) and the floor plan."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exhibitions import services
from exhibitions.floorplan import LayoutError, grid_layout
from exhibitions.models import Booth
from tests import factories

pytestmark = pytest.mark.django_db


def test_grid_codes_and_positions():
    booths = grid_layout(rows="A–H", numbers="1-20", size="3x3 m", kind="standard", price=100)
    assert len(booths) == 160
    by_code = {booth.code: booth for booth in booths}
    assert by_code["A-01"].x == 0 and by_code["A-01"].y == 0
    assert by_code["B-07"].x == 18 and by_code["B-07"].y == 5  # 6 columns of 3 m; depth 3 + aisle 2
    assert by_code["H-20"].code == "H-20"


@pytest.mark.parametrize(
    ("rows", "numbers", "size", "message"),
    [
        ("H-A", "1-20", "3x3", "forwards"),
        ("A-8", "1-20", "3x3", "letters"),
        ("A-B", "20-1", "3x3", "forwards"),
        ("A-B", "one-two", "3x3", "range"),
        ("A-B", "1-20", "3 by 3", "whole metres"),
        ("A-B", "1-20", "0x3", "whole metres"),
    ],
)
def test_grid_spec_errors_are_named(rows, numbers, size, message):
    with pytest.raises(LayoutError) as caught:
        grid_layout(rows=rows, numbers=numbers, size=size, kind="standard", price=0)
    assert message in " ".join(caught.value.errors)


def test_staff_generate_grid_through_the_page(client, staff, hall):
    client.force_login(staff)
    url = reverse("exhibitions:layout_grid", kwargs={"slug": hall.exhibition.slug})
    data = {
        "hall": hall.pk,
        "rows": "A-B",
        "numbers": "1-20",
        "size": "3x3",
        "kind": "corner",
        "price": "1200000",
        "aisle": 2,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert Booth.objects.filter(hall=hall).count() == 40
    b07 = Booth.objects.get(exhibition=hall.exhibition, code="B-07")
    assert (b07.kind, b07.price, b07.x, b07.y) == ("corner", 1200000, 18, 5)
    # The same grid again: every code exists, nothing is written, the page says so.
    response = client.post(url, data)
    assert response.status_code == 400
    assert "already exist" in response.content.decode()
    assert Booth.objects.filter(hall=hall).count() == 40


def test_grid_with_bad_spec_shows_errors_and_keeps_input(client, staff, hall):
    client.force_login(staff)
    url = reverse("exhibitions:layout_grid", kwargs={"slug": hall.exhibition.slug})
    response = client.post(
        url,
        {"hall": hall.pk, "rows": "H-A", "numbers": "1-x", "size": "3x3", "kind": "standard", "price": 0, "aisle": 2},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "forwards" in html and "range like 1-20" in html
    assert 'value="H-A"' in html
    assert not Booth.objects.exists()


def test_add_hall_and_duplicate_name(client, staff, exhibition):
    client.force_login(staff)
    url = reverse("exhibitions:layout_hall", kwargs={"slug": exhibition.slug})
    assert client.post(url, {"name": "Hall East"}).status_code == 302
    response = client.post(url, {"name": "Hall East"})
    assert response.status_code == 400
    assert "already a hall" in response.content.decode()
    assert exhibition.halls.count() == 1


GOOD_CSV = """hall,code,kind,width,depth,price,x,y
Hall 1,C-01,standard,3,3,1500000,0,0
Hall 1,C-02,premium,6,3,3000000,3,0
Hall 2,D-01,island,4.5,4.5,5000000,0,10
"""


def upload(client, exhibition, text, name="booths.csv"):
    url = reverse("exhibitions:layout_csv", kwargs={"slug": exhibition.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


def test_csv_upload_creates_booths(client, staff, hall):
    factories.HallFactory(exhibition=hall.exhibition, name="Hall 2")
    client.force_login(staff)
    response = upload(client, hall.exhibition, GOOD_CSV)
    assert response.status_code == 302
    d01 = Booth.objects.get(exhibition=hall.exhibition, code="D-01")
    assert (d01.hall.name, d01.kind, str(d01.width_m), d01.y) == ("Hall 2", "island", "4.5", 10)
    # Uploading a corrected file updates in place.
    upload(client, hall.exhibition, GOOD_CSV.replace("1500000", "1400000"))
    assert Booth.objects.get(code="C-01").price == 1400000
    assert Booth.objects.filter(exhibition=hall.exhibition).count() == 3


def test_csv_upload_is_all_or_nothing_and_names_every_bad_line(client, staff, hall):
    client.force_login(staff)
    text = """hall,code,kind,width,depth,price,x,y
Hall 1,C-01,standard,3,3,1500000,0,0
Hall 9,C-02,standard,3,3,1500000,3,0
Hall 1,C-03,palace,3,3,1500000,6,0
Hall 1,C-04,standard,0,3,1500000,9,0
Hall 1,C-01,standard,3,3,1500000,12,0
Hall 1,C-06,standard,3,3,cheap,15,-1
"""
    response = upload(client, hall.exhibition, text)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 3: no hall named “Hall 9”" in html
    assert "Line 4: the type must be one of" in html
    assert "Line 5: width and depth must be numbers above 0" in html
    assert "Line 6: booth C-01 is already on line 2" in html
    assert "Line 7: the price must be a number" in html and "x and y must be whole numbers" in html
    assert "Line 2" not in html
    assert not Booth.objects.exists()


def test_csv_missing_columns(staff, hall):
    with pytest.raises(LayoutError) as caught:
        services.booths_import_csv(exhibition=hall.exhibition, text="hall,code\nHall 1,A-01\n", by=staff)
    assert "missing columns: kind, width, depth, price, x, y" in caught.value.errors[0]
    assert not Booth.objects.exists()


def test_floor_plan_shows_free_taken_and_yours(client, exhibition, booths, exhibitor_owner, other_exhibitor):
    mine = factories.ApplicationFactory(
        exhibition=exhibition, company=exhibitor_owner.company, status="approved", booth=booths[0]
    )
    other = factories.ApplicationFactory(
        exhibition=exhibition, company=other_exhibitor.company, status="approved", booth=booths[1]
    )
    client.force_login(exhibitor_owner)
    html = client.get(exhibition.get_absolute_url()).content.decode()
    assert '<svg class="floorplan"' in html
    assert f'id="booth-{booths[0].code}" class="booth mine"' in html
    assert f'id="booth-{booths[1].code}" class="booth taken"' in html
    assert f'id="booth-{booths[2].code}" class="booth free"' in html
    assert other.company.name in html  # in the taken booth's title
    assert mine.company.name in html


def test_booth_fragment_shows_who_is_there(client, exhibition, booths, exhibitor_owner):
    factories.ApplicationFactory(
        exhibition=exhibition, company=exhibitor_owner.company, status="approved", booth=booths[26]
    )
    url = reverse("exhibitions:booth", kwargs={"slug": exhibition.slug, "code": "B-07"})
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Booth B-07" in html
    assert exhibitor_owner.company.get_absolute_url() in html
    assert "<html" not in html
    # Without htmx: the plan with the booth selected.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("?booth=B-07#floorplan")
    html = client.get(response["Location"]).content.decode()
    assert 'class="booth mine highlight"' not in html  # anonymous: no "yours"
    assert 'id="booth-B-07" class="booth taken highlight"' in html
    assert exhibitor_owner.company.name in html
    assert client.get(reverse("exhibitions:booth", kwargs={"slug": exhibition.slug, "code": "Z-99"})).status_code == 404


def test_floor_plan_query_count_does_not_grow_with_booths(client, staff, exhibition, hall, django_assert_num_queries):
    services.booths_generate(hall=hall, rows="A", numbers="1-5", size="3x3", kind="standard", price=0, by=staff)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(exhibition.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    services.booths_generate(hall=hall, rows="B-K", numbers="1-20", size="3x3", kind="standard", price=0, by=staff)
    for booth, company in zip(
        Booth.objects.filter(code__startswith="C-"), factories.ExhibitorFactory.create_batch(20), strict=True
    ):
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved", booth=booth)
    assert Booth.objects.filter(exhibition=exhibition).count() == 205
    assert count() == small


def test_csv_refuses_to_move_booths_between_halls(staff, hall):
    """A file for Hall 3B listing codes that exist in Hall 3 used to move them ("0 created,
    4 updated"); now every such line is named and nothing changes."""
    exhibition = hall.exhibition
    services.booths_import_csv(
        exhibition=exhibition, text="hall,code,kind,width,depth,price,x,y\nHall 1,B-01,standard,3,3,0,0,0\n", by=staff
    )
    other = factories.HallFactory(exhibition=exhibition, name="Hall 3B")
    with pytest.raises(LayoutError) as caught:
        services.booths_import_csv(
            exhibition=exhibition,
            text="hall,code,kind,width,depth,price,x,y\nHall 3B,B-02,standard,3,3,0,5,0\nHall 3B,B-01,standard,3,3,0,0,0\n",
            by=staff,
        )
    assert caught.value.errors == [
        "Line 3: booth B-01 is in Hall 1, not Hall 3B; a file cannot move booths between halls."
    ]
    assert Booth.objects.get(code="B-01").hall == hall and not Booth.objects.filter(hall=other).exists()
