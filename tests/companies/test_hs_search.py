import io

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


# --- Korean, Japanese and the glossary's synonyms -----------------------------------------


def codes_for(q, limit=25):
    return [h.code for h in search_hs(HSCode.objects.all(), q, limit=limit)]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("금형", "8480"),  # Korean: "mould", in no HS name, found through the glossary
        ("金型", "8480"),  # Japanese, likewise
        ("mould", "8480"),
        ("MOULDS", "8480"),
        ("사출 금형", "848071"),  # injection mould
        ("사출금형을", "848071"),  # a particle attached
        ("射出成形金型", "848071"),
        ("injection mould", "848071"),
        ("다이캐스팅 금형", "848041"),
        ("プレス金型", "820730"),
        ("８４８０", "8480"),  # full-width digits: a code prefix
        ("8480.71", "848071"),
    ],
)
def test_picker_finds_codes_in_english_korean_and_japanese(q, first):
    assert codes_for(q)[0] == first


def test_mould_ranks_the_mould_heading_before_eggs_and_soap():
    codes = codes_for("mould", limit=100)
    assert codes[0] == "8480"
    assert {"848071", "848041", "848020"} <= set(codes[:10])  # its subheadings come next
    for moulded_food_or_soap in ("0408", "3401"):
        assert moulded_food_or_soap in codes  # "moulded" eggs and soap are still found...
        assert codes.index("8480") < codes.index(moulded_food_or_soap)  # ...but after the moulds
    assert "0407" not in codes[: codes.index("0408")]


def test_a_code_is_found_by_its_own_korean_and_japanese_names():
    for code in ("3926", "848020"):
        hs = HSCode.objects.get(code=code)
        for name in (hs.name_ko, hs.name_ja):
            assert name and code in codes_for(name), (code, name)


def test_a_word_start_finds_the_word():
    assert "848071" in codes_for("inj")


def test_nonsense_and_lone_particles_find_nothing():
    assert codes_for("zzzqqq") == []
    assert codes_for("の") == []


@pytest.mark.parametrize("language", ["en", "ko", "ja"])
def test_results_are_named_in_the_readers_language(client, language):
    from django.utils.html import escape

    html = client.get(reverse("companies:hs_search"), {"q": "金型"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    mould = HSCode.objects.get(code="8480")
    assert escape(mould.name_in(language)) in html and "84.80" in html
    assert "pick=8480" in html
    # In Korean or Japanese, the English description follows (muted): tariff names of
    # subheadings can be alike (8480.41 and 8480.71 in the HSK), the English ones are not.
    assert escape(mould.description) in html
    assert ("hs-english" in html) == (language != "en")


def test_picking_shows_the_name_in_the_readers_language(client):
    from django.utils.html import escape

    html = client.get(reverse("companies:hs_search"), {"pick": "848071"}, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert escape(HSCode.objects.get(code="848071").name_ja[:20]) in html and "8480.71" in html


def test_a_search_costs_one_query_however_many_codes_match(client, django_assert_num_queries):
    client.get(reverse("companies:hs_search"), {"q": "mould"})  # builds the in-memory index once
    for q in ("mould", "사출 금형", "plastics", "8480"):
        with django_assert_num_queries(1):  # the matching codes, by primary key
            assert client.get(reverse("companies:hs_search"), {"q": q}).status_code == 200


def test_hs_for_concept_names_real_codes_and_real_concepts():
    from companies.search import HS_FOR_CONCEPT
    from matching.engine.glossary import CONCEPTS

    assert set(HS_FOR_CONCEPT) <= set(CONCEPTS)
    codes = {code for codes in HS_FOR_CONCEPT.values() for code in codes}
    assert set(HSCode.objects.filter(code__in=codes).values_list("code", flat=True)) == codes


def test_a_number_among_words_narrows_to_that_code():
    codes = codes_for("8480 사출")
    assert codes[0] == "848071" and all(code.startswith("8480") for code in codes[:2])
    assert codes_for("3926 사출")[0] == "3926"  # the code matches; the word does not


def test_names_are_loaded_from_the_data_files_and_reloading_repairs_them():
    from django.core.management import call_command

    from companies.hs import read_hs_names

    for language in ("ko", "ja"):
        names = read_hs_names(language)
        assert {"84", "8480", "848071", "848041", "848020", "8207", "820730", "39", "3926"} <= set(names)
        assert getattr(HSCode.objects.get(code="8480"), f"name_{language}") == names["8480"]
    assert HSCode.objects.get(code="010121").name_ja == ""  # no row: English stands in
    assert HSCode.objects.get(code="010121").name_in("ja") == "Horses; live, pure-bred breeding animals"
    HSCode.objects.filter(code="8480").update(name_ko="wrong", name_ja="")
    HSCode.objects.filter(code="010121").update(name_ko="stale")
    call_command("load_hs_names", stdout=io.StringIO())
    mould, horses = HSCode.objects.get(code="8480"), HSCode.objects.get(code="010121")
    assert (mould.name_ko, mould.name_ja) == (read_hs_names("ko")["8480"], read_hs_names("ja")["8480"])
    assert horses.name_ko == read_hs_names("ko").get("010121", "")  # the file's row, or none


def test_display_form_is_the_name_and_the_dotted_code():
    from django.utils import translation

    mould = HSCode.objects.get(code="848071")
    assert mould.label("en") == "Moulds; for rubber or plastics, injection or compression types (8480.71)"
    assert mould.label("ja") == f"{mould.name_ja} (8480.71)"
    with translation.override("ko"):
        assert str(mould) == f"{mould.name_ko} (8480.71)"  # form choices use it
    assert HSCode.objects.get(code="8480").label("en").endswith("(84.80)")
    assert HSCode.objects.get(code="84").label("en").endswith("(84)")
