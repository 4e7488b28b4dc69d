import pytest
from django.urls import reverse

from companies.hs import search_hs
from companies.models import HSCode

pytestmark = pytest.mark.django_db


def test_number_prefix_finds_the_code_and_its_children(client):
    html = client.get(reverse("companies:hs_search"), {"q": "8480"}).content.decode()
    assert "848071" in html and "8480" in html
    assert "hx-get" in html and "pick=848071" in html
    assert "<html" not in html  # a fragment, not a page


def test_dotted_number_is_understood():
    assert [h.code for h in search_hs(HSCode.objects.all(), "8480.71")] == ["848071"]


def test_words_find_codes_by_description(client):
    html = client.get(reverse("companies:hs_search"), {"q": "injection moulds"}).content.decode()
    assert "848071" in html
    codes = [h.code for h in search_hs(HSCode.objects.all(), "rubber plastics moulds")]
    assert "848071" in codes


def test_empty_query_returns_nothing(client):
    response = client.get(reverse("companies:hs_search"), {"q": "  "})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_no_match_says_so(client):
    html = client.get(reverse("companies:hs_search"), {"q": "zzzqqq"}).content.decode()
    assert "No HS code matches" in html


def test_picking_returns_one_hidden_input_unless_already_picked(client):
    html = client.get(reverse("companies:hs_search"), {"pick": "848071"}).content.decode()
    assert html.count('<input type="hidden" name="hs_codes" value="848071">') == 1
    again = client.get(reverse("companies:hs_search"), {"pick": "848071", "hs_codes": "848071"}).content.decode()
    assert "hs_codes" not in again
    unknown = client.get(reverse("companies:hs_search"), {"pick": "000000"}).content.decode()
    assert unknown.strip() == ""


def test_a_very_long_query_is_cut_and_still_answers(client):
    response = client.get(reverse("companies:hs_search"), {"q": "injection " * 500})
    assert response.status_code == 200
    assert "848071" in response.content.decode()
