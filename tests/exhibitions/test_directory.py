"""The exhibitor directory: search in any language, HS prefixes, filters, sorting, booths."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from companies.models import Certification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def add_exhibitor(exhibition, booth=None, hs=(), certifications=(), **company):
    company = factories.ExhibitorFactory(hs=list(hs), **company)
    company.certifications.set(certifications)
    factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved", booth=booth)
    return company


@pytest.fixture
def directory(exhibition, booths):
    iso = Certification.objects.create(name="ISO 9001")
    iatf = Certification.objects.create(name="IATF 16949")
    by_code = {b.code: b for b in booths}
    hanil = add_exhibitor(
        exhibition,
        booth=by_code["B-07"],
        hs=["848071"],
        certifications=[iso, iatf],
        name_en="Hanil Precision Mold",
        name_ko="한일정밀금형",
        name_ja="ハンイル精密金型",
        city="Incheon",
        languages="ko ja",
        keywords="automotive lamp, injection",
        description_ja="自動車ランプ用の射出成形金型",
    )
    daesung = add_exhibitor(
        exhibition,
        booth=by_code["A-02"],
        hs=["848041"],
        certifications=[iso],
        name_en="Daesung Die Casting",
        name_ko="대성다이캐스팅",
        city="Busan",
        languages="ko en",
        description_en="Die-casting dies for aluminium housings",
    )
    cheon = add_exhibitor(
        exhibition,
        hs=["732690"],
        name_en="Cheon Tooling",
        city="Changwon",
        languages="ko zh",
    )
    # Not in the directory: a submitted application, and another exhibition's exhibitor.
    factories.ApplicationFactory(exhibition=exhibition, company__name_en="Pending Mould Co")
    factories.ApplicationFactory(company__name_en="Elsewhere Mould Co", status="approved")
    return {"hanil": hanil, "daesung": daesung, "cheon": cheon, "iso": iso, "iatf": iatf}


def names(client, exhibition, **params):
    response = client.get(reverse("exhibitions:directory", kwargs={"slug": exhibition.slug}), params)
    assert response.status_code == 200
    return [entry["name"] for entry in response.context["entries"]]


def test_lists_approved_exhibitors_of_this_exhibition(client, exhibition, directory):
    assert names(client, exhibition) == ["Cheon Tooling", "Daesung Die Casting", "Hanil Precision Mold"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("hanil", ["Hanil Precision Mold"]),
        ("HANIL", ["Hanil Precision Mold"]),
        ("정밀", ["Hanil Precision Mold"]),
        ("ランプ", ["Hanil Precision Mold"]),
        ("Automotive", ["Hanil Precision Mold"]),
        ("aluminium", ["Daesung Die Casting"]),
        ("nothing-like-this", []),
    ],
)
def test_search_name_keyword_description_any_language(client, exhibition, directory, q, expected):
    assert names(client, exhibition, q=q) == expected


@pytest.mark.parametrize(
    ("hs", "expected"),
    [
        ("84", ["Daesung Die Casting", "Hanil Precision Mold"]),
        ("8480", ["Daesung Die Casting", "Hanil Precision Mold"]),
        ("848071", ["Hanil Precision Mold"]),
        ("7326", ["Cheon Tooling"]),
        ("0101", []),
    ],
)
def test_hs_prefix(client, exhibition, directory, hs, expected):
    assert names(client, exhibition, hs=hs) == expected


def test_filters_city_certification_language(client, exhibition, directory):
    assert names(client, exhibition, city="Busan") == ["Daesung Die Casting"]
    assert names(client, exhibition, certification=directory["iatf"].pk) == ["Hanil Precision Mold"]
    assert names(client, exhibition, certification=directory["iso"].pk) == [
        "Daesung Die Casting",
        "Hanil Precision Mold",
    ]
    assert names(client, exhibition, language="ja") == ["Hanil Precision Mold"]
    assert names(client, exhibition, language="zh", hs="84") == []


def test_sorting(client, exhibition, directory):
    assert names(client, exhibition, sort="city") == ["Daesung Die Casting", "Cheon Tooling", "Hanil Precision Mold"]
    assert names(client, exhibition, sort="booth") == ["Daesung Die Casting", "Hanil Precision Mold", "Cheon Tooling"]


def test_sorting_by_name_in_reader_language(client, exhibition, directory):
    client.cookies["django_language"] = "ko"
    response = client.get(reverse("exhibitions:directory", kwargs={"slug": exhibition.slug}), HTTP_ACCEPT_LANGUAGE="ko")
    shown = [entry["name"] for entry in response.context["entries"]]
    assert shown == ["Cheon Tooling", "대성다이캐스팅", "한일정밀금형"]


def test_bad_filter_is_named_and_the_others_still_apply(client, exhibition, directory):
    response = client.get(
        reverse("exhibitions:directory", kwargs={"slug": exhibition.slug}), {"hs": "84x", "city": "Busan"}
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert [entry["name"] for entry in response.context["entries"]] == ["Daesung Die Casting"]


def test_booth_links_to_the_floor_plan(client, exhibition, directory):
    html = client.get(reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})).content.decode()
    assert f'href="{exhibition.get_absolute_url()}?booth=B-07#floorplan"' in html
    plan = client.get(exhibition.get_absolute_url(), {"booth": "B-07"}).content.decode()
    assert 'id="booth-B-07" class="booth taken highlight"' in plan
    assert "Hanil Precision Mold" in plan


def test_pagination_keeps_filters(client, exhibition):
    for i in range(35):
        add_exhibitor(exhibition, name_en=f"Mould {i:02d}", hs=["848071"])
    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    response = client.get(url, {"hs": "8480"})
    assert response.context["page"].paginator.count == 35
    html = response.content.decode()
    assert "?hs=8480&amp;page=2" in html
    assert len(client.get(url, {"hs": "8480", "page": 2}).context["page"]) == 5


def test_htmx_request_gets_only_the_results(client, exhibition, directory):
    response = client.get(
        reverse("exhibitions:directory", kwargs={"slug": exhibition.slug}), {"q": "hanil"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Hanil Precision Mold" in html and "<html" not in html


def test_full_page_and_htmx_fragment_vary_on_hx_request(client, exhibition, directory):
    """The pushed URL serves a fragment to htmx and a page otherwise: without Vary, the
    browser's back button can show the bare fragment from its cache."""
    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        assert "HX-Request" in client.get(url, {"q": "hanil"}, **headers).get("Vary", "")


@pytest.mark.parametrize(
    "params", [{}, {"q": "mould", "hs": "8480", "sort": "booth"}, {"q": "射出成形金型 mou"}, {"q": "금형 MOU"}]
)
def test_query_count_fixed_at_5_and_200_exhibitors(client, exhibition, hall, staff, params, assert_fixed_queries):
    from exhibitions import services

    booths = services.booths_generate(
        hall=hall, rows="A-J", numbers="1-20", size="3x3", kind="standard", price=0, by=staff
    )
    iso = Certification.objects.create(name="ISO 9001")

    def add(n, offset):
        for i in range(offset, offset + n):
            add_exhibitor(
                exhibition, booth=booths[i], hs=["848071", "848041"], certifications=[iso], name_en=f"Mould {i}"
            )

    add(5, 0)

    def fetch():
        cache.clear()  # the uncached path: every query the directory makes
        response = client.get(reverse("exhibitions:directory", kwargs={"slug": exhibition.slug}), params)
        assert response.status_code == 200
        return response

    assert_fixed_queries(fetch, lambda: add(195, 5), at_most=9)
    assert fetch().context["page"].paginator.count == 200


def test_cached_directory_changes_as_soon_as_exhibitors_do(
    client, staff, exhibition, directory, django_assert_num_queries
):
    from exhibitions import services

    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    client.get(url)
    with django_assert_num_queries(1):  # the exhibition, which carries the directory version
        html = client.get(url).content.decode()
    assert "Hanil Precision Mold" in html
    newcomer = factories.ApplicationFactory(exhibition=exhibition, company__name_en="Newcomer Mould")
    assert "Newcomer Mould" not in client.get(url).content.decode()
    services.application_decide(application=newcomer, status="approved", by=staff)
    assert "Newcomer Mould" in client.get(url).content.decode()
    hanil = directory["hanil"]
    hanil.name_en = "Hanil Renamed Mould"
    hanil.save()
    assert "Hanil Renamed Mould" in client.get(url).content.decode()
    hanil.hs_codes.add("820730")  # a many-to-many change saves no company row
    assert "8207.30" in client.get(url).content.decode()
    services.booth_release(application=hanil.applications.get(), by=staff)
    assert "B-07" not in client.get(url).content.decode()


def test_buyers_get_a_meeting_request_button_and_others_do_not(
    client, exhibition, directory, buyer_owner, exhibitor_owner
):
    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    request_url = reverse("exhibitions:meetings_request", kwargs={"slug": exhibition.slug})

    client.force_login(exhibitor_owner)
    assert request_url not in client.get(url).content.decode()

    client.force_login(buyer_owner)
    page = client.get(url).content.decode()
    assert f"{request_url}?exhibitor={directory['hanil'].ref}" in page


def test_languages_are_named_in_the_readers_language(client, exhibition, directory):
    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    html = client.get(url).content.decode()
    assert "Korean, Japanese" in html  # Hanil speaks "ko ja"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "韓国語" in html


# --- Across languages, through the glossary -------------------------------------------------


@pytest.fixture
def korean_writers(exhibition, directory):
    """Exhibitors who wrote about their products in Korean only."""
    return {
        "sachul": add_exhibitor(
            exhibition, name_en="", name_ko="사출테크", description_ko="자동차 램프용 사출금형 전문"
        ),
        "press": add_exhibitor(
            exhibition, name_en="", name_ko="대한프레스", description_ko="프레스 금형과 순차이송 금형"
        ),
        # No text at all, but filed under 8480.41 (moulds for die casting).
        "filed": add_exhibitor(exhibition, name_en="", name_ko="무명산업", hs=["848041"]),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # A Japanese buyer's words find what Koreans (and others) wrote in their own language.
        ("射出成形金型", ["Hanil Precision Mold", "사출테크"]),
        ("射出", ["Hanil Precision Mold", "사출테크"]),
        ("injection mould", ["Hanil Precision Mold", "사출테크"]),
        ("プレス金型", ["대한프레스"]),
        ("順送", ["대한프레스"]),
        ("ダイカスト", ["Daesung Die Casting", "무명산업"]),  # by text, and by filing under 8480.41
        # Every mould maker: by its words in any language, or by filing under 84.80.
        (
            "金型",
            ["Cheon Tooling", "Daesung Die Casting", "Hanil Precision Mold", "대한프레스", "무명산업", "사출테크"],
        ),
        ("自動車 射出", ["Hanil Precision Mold", "사출테크"]),  # every word must match
        ("自動車 プレス", []),
        # Prefixes of a word, not the middle of one.
        ("inj", ["Hanil Precision Mold"]),
        ("Precis", ["Hanil Precision Mold"]),
        ("ecision", []),
        ("Busan", []),  # the city is a filter of its own, not searched text
    ],
)
def test_search_across_languages_through_glossary_concepts(client, exhibition, korean_writers, q, expected):
    assert names(client, exhibition, q=q) == expected


def test_a_short_latin_term_does_not_match_inside_words(client, exhibition, directory):
    add_exhibitor(exhibition, name_en="Everest Capacitors", description_en="Every capacity, cards")
    assert names(client, exhibition, q="EV") == []  # not "every"
    assert names(client, exhibition, q="car") == ["Hanil Precision Mold"]  # "automotive", not "cards"


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_hs_codes_are_named_in_the_readers_language(client, exhibition, directory, language):
    from django.utils.html import escape

    from companies.models import HSCode

    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    mould = HSCode.objects.get(code="848071")
    assert escape(mould.label(language)) in html and "8480.71" in html
    assert "Moulds; for rubber or plastics" not in html


# --- Cost of a page: sort keys, one query for the page and its total, signed-in readers ------


def test_sort_keys_follow_the_readers_fallback_order_and_bulk_writes(exhibition):
    from companies.models import Company

    korean_only, english = Company.objects.bulk_create(
        [
            Company(kind="exhibitor", ref="KR-S1", name_ko="가나금형", country="KR", status="approved"),
            Company(kind="exhibitor", ref="KR-S2", name_en="Zeta Mould", name_ja="ゼータ金型", country="KR"),
        ]
    )
    keys = dict(Company.objects.filter(ref="KR-S1").values_list("sort_name_en", "sort_name_ja"))
    assert keys == {"가나금형": "가나금형"}  # no English or Japanese name: the Korean one, for everyone
    english = Company.objects.get(ref="KR-S2")
    assert (english.sort_name_en, english.sort_name_ko, english.sort_name_ja) == (
        "zeta mould",
        "zeta mould",
        "ゼータ金型",
    )
    Company.objects.filter(ref="KR-S2").update(name_en="Alpha Mould")  # no save(): the database keeps it right
    assert Company.objects.get(ref="KR-S2").sort_name_ko == "alpha mould"


def test_a_page_past_the_end_shows_the_last_and_a_bad_number_the_first(client, exhibition):
    for i in range(35):
        add_exhibitor(exhibition, name_en=f"Mould {i:02d}")
    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    last = client.get(url, {"page": 99}).context
    assert (last["page"].number, last["page"].paginator.count) == (2, 35)
    assert [entry["name"] for entry in last["entries"]] == [f"Mould {i}" for i in range(30, 35)]
    first = client.get(url, {"page": "x"}).context
    assert (first["page"].number, len(first["entries"]), first["page"].paginator.count) == (1, 30, 35)
    assert client.get(url, {"q": "nothing-matches"}).context["page"].paginator.count == 0


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_query_counts_anonymous_and_buyer_cached_and_not_at_5_and_200(
    client, exhibition, hall, staff, buyer_owner, django_assert_num_queries
):
    """Anonymous: the exhibition (cached); + the page with its total, its HS codes and its
    certifications (a new search, sort or page); + the filter choices (nothing cached). A
    signed-in buyer adds two queries (the user with membership and company, the session being
    read from the cache; and its registration, which decides whether its own wish control is
    shown)."""
    from exhibitions import services

    booths = services.booths_generate(
        hall=hall, rows="A-J", numbers="1-20", size="3x3", kind="standard", price=0, by=staff
    )
    iso = Certification.objects.create(name="ISO 9001")
    url = reverse("exhibitions:directory", kwargs={"slug": exhibition.slug})
    expected = {"anonymous": {"cold": 6, "miss": 4, "cached": 1}, "buyer": {"cold": 8, "miss": 6, "cached": 3}}
    requests = iter(range(1_000_000))

    def add(n, offset):
        for i in range(offset, offset + n):
            add_exhibitor(
                exhibition, booth=booths[i], hs=["848071", "848041"], certifications=[iso], name_en=f"Mould {i}"
            )

    def check(rows):
        for viewer, counts in expected.items():
            cache.clear()
            client.logout()
            if viewer == "buyer":
                client.force_login(buyer_owner)
            miss = {"sort": "booth", "page": 2 if rows > 30 else 1, "n": next(requests)}
            for state, params in (("cold", {"n": next(requests)}), ("miss", miss), ("cached", miss)):
                with django_assert_num_queries(counts[state]):
                    html = client.get(url, params).content.decode()
                assert f"{rows} exhibitors" in html
                assert ("Request a meeting" in html) == (viewer == "buyer")

    add(5, 0)
    check(5)
    add(195, 5)
    check(200)
