"""Every email template renders in English, Korean and Japanese with no leftover of another
language in its own text (the names and values it is given aside).

The values are neutral tokens (digits and symbols), so any letter in the output comes from
the template or its translation: Hangul or kana in English, English words or kana in
Korean, English words or Hangul in Japanese are leftovers.
"""

import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATES = sorted(
    {p.name.rsplit("_", 1)[0] for p in (Path(settings.BASE_DIR) / "templates" / "notifications").glob("*.txt")}
)
VALUES = {
    name: f"〔{n}〕"
    for n, name in enumerate(
        [
            "exhibitor",
            "company_name",
            "buyer",
            "exhibition_title",
            "exhibition",
            "when",
            "reason",
            "ref",
            "place",
            "inviter",
            "message",
            "booth",
            "url",
            "user",
            "agenda",
            "count",
            "companies",
            "day",
            "mailing",
        ]
    )
}
# Every branch of the templates' {% if %}s, so no sentence escapes the check.
BRANCHES = [
    {"change": "booth", "status": "approved", "kind": "buyer", "interpreter_needed": True},
    {"change": "status", "status": "rejected", "kind": "exhibitor", "interpreter_needed": False},
    {"change": "status", "status": "waitlisted", "kind": "exhibitor", "interpreter_needed": False, "when": ""},
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u30ff]")
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){1,}")
ALLOWED_LATIN = {"Fairlink", "HS", "ID", "URL", "PDF", "CSV", "Excel", "iCalendar", "UTC", "JPY", "USD", "KRW"}


def leftovers(text, language):
    found = []
    if language != "ko" and HANGUL.search(text):
        found.append("Korean")
    if language != "ja" and KANA.search(text):
        found.append("Japanese")
    if language != "en":
        words = [w for w in ENGLISH_WORDS.findall(text) if not set(w.split()) <= ALLOWED_LATIN]
        if words:
            found.append(f"English {words}")
    return found


@pytest.mark.parametrize(("template", "language"), list(itertools.product(TEMPLATES, ["en", "ko", "ja"])))
def test_email_has_no_leftover_of_another_language(template, language):
    for branch in BRANCHES:
        context = dict(VALUES, **branch)
        with translation.override(language):
            subject = render_to_string(f"notifications/{template}_subject.txt", context)
            body = render_to_string(f"notifications/{template}_body.txt", context)
        problems = leftovers(subject + "\n" + body, language)
        assert not problems, f"{template} in {language}: {problems}\n{subject}\n{body}"


def test_the_check_finds_leftovers():
    assert leftovers("Your meeting is confirmed 〔1〕", "ko") == ["English ['Your meeting is confirmed']"]
    assert leftovers("商談が確定しました 〔1〕", "ko") == ["Japanese"]
    assert leftovers("상담이 확정되었습니다 〔1〕", "ja") == ["Korean"]
    assert leftovers("상담이 확정되었습니다 〔1〕 Fairlink", "ko") == []


# Templates that loop over rows get rows of neutral tokens, so the sentences inside the loops
# are checked too (the flat VALUES above leave the loops empty).
STRUCTURED = {
    "conversation_digest": {
        "messages": ["〔m1〕", "〔m2〕", "〔m3〕"],
        "conversations": [
            {
                "kind": kind,
                "buyer": "〔b〕",
                "exhibitor": "〔e〕",
                "exhibition": "〔x〕",
                "timezone": "〔tz〕",
                "url": "〔u〕",
                "messages": [{"author": "〔a〕", "when": "2026-11-29 10:00", "body": "〔body〕"}],
            }
            for kind in ("meeting", "wish")
        ],
    },
}


@pytest.mark.parametrize(("template", "language"), list(itertools.product(STRUCTURED, ["en", "ko", "ja"])))
def test_email_with_rows_has_no_leftover_of_another_language(template, language):
    with translation.override(language):
        subject = render_to_string(f"notifications/{template}_subject.txt", STRUCTURED[template])
        body = render_to_string(f"notifications/{template}_body.txt", STRUCTURED[template])
    assert "〔body〕" in body and "〔u〕" in body
    problems = leftovers(subject + "\n" + body, language)
    assert not problems, f"{template} in {language}: {problems}\n{subject}\n{body}"
