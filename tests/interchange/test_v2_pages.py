"""Staff import page with exhibition-data/2: the preview counts meeting hours, interpreters
and wishes; problems are listed with their paths; the download is version 2."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from exhibitions.interchange import import_exhibition_data
from exhibitions.models import Interpreter, MeetingHours, Wish

from .test_pages import CONFIRM, EXPORT, IMPORT, upload

pytestmark = pytest.mark.django_db


def rows(response):
    return {s["kind"]: (len(s["create"]), len(s["update"]), s["unchanged"]) for s in response.context["sections"]}


def test_preview_counts_the_version_2_additions_then_confirm_imports(client, staff, example2):
    client.force_login(staff)
    response = upload(client, example2, "example-2.json")
    page = response.content.decode()
    assert rows(response) == {
        "exhibition": (2, 0, 0),
        "company": (3, 0, 0),
        "participation": (5, 0, 0),
        "meeting": (2, 0, 0),
        "meeting_hours": (1, 0, 0),
        "interpreter": (1, 0, 0),
        "wish": (3, 0, 0),
    }
    for title in ("Meeting hours", "Interpreters", "Wishes"):
        assert f'<th scope="row">{title}</th><td>' in page
    assert not Interpreter.objects.exists()  # a preview writes nothing

    response = client.post(CONFIRM, {"sha256": response.context["digest"]}, follow=True)
    page = response.content.decode()
    assert "interpreters: 1 created" in page and "wishes: 3 created" in page
    assert (Interpreter.objects.count(), Wish.objects.count(), MeetingHours.objects.count()) == (1, 3, 2)


def test_preview_of_changes_names_the_fields(client, staff, example2):
    import_exhibition_data(data=example2)
    example2["interpreters"][0]["languages"] = ["ko", "ja"]
    example2["wishes"][1]["priority"] = "must"
    client.force_login(staff)
    response = upload(client, example2)
    assert rows(response)["interpreter"] == (0, 1, 0)
    assert rows(response)["wish"] == (0, 1, 2)
    page = response.content.decode()
    assert "<strong>mold-japan-2027 / INT-01</strong>" in page
    assert "<code>languages</code>" in page


def test_problems_are_listed_with_their_paths_in_the_reader_language(client, staff, example2):
    example2["meetings"][1]["place"] = "table-9"
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = upload(client, example2, "example-2.json")
    page = response.content.decode()
    assert "<code>meetings[1].place</code>" in page
    with translation.override("ko"):
        from django.utils.translation import ngettext

        expected = ngettext(
            "%(place)r but the exhibition has %(count)s table", "%(place)r but the exhibition has %(count)s tables", 4
        ) % {"place": "table-9", "count": 4}
    assert expected != "'table-9' but the exhibition has 4 tables"  # translated
    assert expected.replace("'", "&#x27;") in page
    assert "plan" not in response.context


def test_the_download_is_version_2(client, staff, example2):
    import_exhibition_data(data=example2)
    client.force_login(staff)
    data = json.loads(client.get(EXPORT).content)
    assert data["format"] == "exhibition-data/2"
    assert data["interpreters"][0]["ref"] == "INT-01"
    assert reverse("exhibitions:data_import") == IMPORT
