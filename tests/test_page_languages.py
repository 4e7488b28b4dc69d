"""Every page of the project, read in English, Korean and Japanese, has no leftover of
another language in its own text: no Korean or Japanese on an English page, no English
sentence fragment, no Japanese on a Korean page, no Korean on a Japanese page. Names and values from the database are taken out first (a
company may only have an English name), and so is anything marked with its own `lang`
(the language switcher names each language in its own script).

Pages are those of the permission matrix (`tests/permissions`), each read as a role that
may see it, so a new page is checked as soon as it has its row there.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.permissions import roles
from tests.permissions.test_matrix import all_rows

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u30ff]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ \t]+[A-Za-z][a-z]+){1,}\b")
# Product and format names that read the same in every language.
ALLOWED = {"Fairlink", "Excel", "iCalendar", "Google Calendar", "Apple Calendar", "Outlook"}
PREFERENCE = [roles.STAFF, roles.EXHIBITOR_OWNER, roles.BUYER_OWNER, roles.ADMIN, roles.OUTSIDER, roles.ANONYMOUS]
SKIP_TAGS = {"script", "style", "svg", "code", "pre", "textarea", "option", "title"}


class VisibleText(HTMLParser):
    """The text a reader sees, leaving out elements in another language (`lang`), scripts
    and values typed by users (inputs carry theirs in attributes, which are skipped)."""

    def __init__(self, page_language):
        super().__init__()
        self.page_language = page_language
        self.stack = []
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}:
            return
        attrs = dict(attrs)
        foreign = attrs.get("lang", self.page_language)[:2] != self.page_language or tag in SKIP_TAGS
        translate_no = attrs.get("translate") == "no"
        self.stack.append((tag, foreign or translate_no))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _skip = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not any(skip for _tag, skip in self.stack):
            self.parts.append(data)


def database_strings():
    """Every text value stored by the project's apps: names, titles, descriptions, codes."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"companies", "exhibitions", "matching"}:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            found.update(value for value in row if isinstance(value, str) and len(value) > 1)
    return sorted(found, key=len, reverse=True)


def leftovers(text, language):
    found = []
    if language == "en":
        if HANGUL.search(text) or KANA.search(text):
            found.append(f"Korean or Japanese: {(HANGUL.findall(text) + KANA.findall(text))[:5]}")
        return found
    if language == "ko" and KANA.search(text):
        found.append(f"Japanese: {KANA.findall(text)[:5]}")
    if language == "ja" and HANGUL.search(text):
        found.append(f"Korean: {HANGUL.findall(text)[:5]}")
    english = [run for run in ENGLISH_RUN.findall(text) if run not in ALLOWED]
    if english:
        found.append(f"English: {english[:5]}")
    return found


def page_text(content, language, names):
    parser = VisibleText(language)
    parser.feed(content)
    text = html.unescape(" ".join(parser.parts))
    for name in names:
        text = text.replace(name, " ")
    text = re.sub(r"\S+@\S+|https?://\S+", " ", text)
    return text


GET_ROWS = [row for row in all_rows() if row.method == "get" and set(PREFERENCE) & set(row.allowed)]


@pytest.mark.django_db
@pytest.mark.parametrize("row", GET_ROWS, ids=[row.id for row in GET_ROWS])
def test_page_has_no_leftover_of_another_language(client, row):
    world = roles.build_world()
    kwargs = row.build(world) if row.build else {}
    url = reverse(row.name, kwargs=kwargs)
    role = next(role for role in PREFERENCE if role in row.allowed)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    data = row.data(world) if row.data else {}
    names = None
    for language in ("en", "ko", "ja"):
        client.cookies["django_language"] = language
        response = client.get(url, data, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return  # feeds, downloads and redirects elsewhere are checked where they are built
        names = names if names is not None else database_strings()
        problems = leftovers(page_text(response.content.decode(), language, names), language)
        assert not problems, f"{url} in {language} as {role}: {problems}"


def test_the_check_finds_leftovers():
    assert leftovers("상담 Meeting hours 목록", "ko") == ["English: ['Meeting hours']"]
    assert leftovers("商談 상담", "ja") == ["Korean: ['상', '담']"]
    assert page_text('<p>상담</p><button lang="ja">日本語</button>', "ko", []).strip() == "상담"
