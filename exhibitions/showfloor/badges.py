"""Printable badges: one PDF page (A6) per person, or A4 sheets of eight A7 labels.

Each badge carries the person's name, company, role and the exhibition, in the person's
preferred language, and a QR code holding an opaque signed token (`badge_token`): a
signature over the exhibition's slug and a keyed digest of the person, so the code reveals
no id and a token from another show, or forged, resolves to nobody (`person_for_token`).

Korean and Japanese print with reportlab's built-in CID fonts (HYGothic-Medium,
HeiseiKakuGo-W5): the PDF viewer supplies the glyphs, so no font file is needed on the server.
"""

import io
import re

import segno
from django.core import signing
from django.db.models import Q
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from companies.models import Company, Membership
from exhibitions.models import BuyerRegistration, ExhibitorApplication

TOKEN_SALT = "fairlink.badges"  # noqa: S105 (a signing namespace, not a secret)
KOREAN_FONT = "HYGothic-Medium"
JAPANESE_FONT = "HeiseiKakuGo-W5"
LATIN_FONT = "Helvetica"
LATIN_BOLD_FONT = "Helvetica-Bold"
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
KANA_OR_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
LABEL_COLUMNS, LABEL_ROWS = 2, 4


class BadTokenError(Exception):
    """A scanned code that is not a badge of this exhibition."""


def participants(exhibition):
    """People of the companies taking part (approved exhibitors and buyers), by company and
    name; one query, each with `badge_company` set."""
    memberships = (
        Membership.objects.filter(
            Q(
                company__applications__exhibition=exhibition,
                company__applications__status=ExhibitorApplication.Status.APPROVED,
            )
            | Q(
                company__buyer_registrations__exhibition=exhibition,
                company__buyer_registrations__status=BuyerRegistration.Status.APPROVED,
            )
        )
        .distinct()
        .select_related("user", "company")
        .order_by("company__name_en", "user__full_name", "user__email")
    )
    people = []
    for membership in memberships:
        membership.user.badge_company = membership.company
        people.append(membership.user)
    return people


def _person_digest(exhibition, user):
    key = f"{exhibition.pk}:{user.pk}:{user.calendar_token}"
    return salted_hmac(TOKEN_SALT, key).hexdigest()[:24]


def badge_token(*, exhibition, user):
    """The opaque signed text in a person's QR code for this exhibition."""
    return signing.Signer(salt=TOKEN_SALT).sign(f"{exhibition.slug}.{_person_digest(exhibition, user)}")


def person_for_token(*, exhibition, token):
    """The participant a scanned token names; BadTokenError when it is forged, damaged, of
    another exhibition or of someone no longer taking part."""
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign((token or "").strip())
    except signing.BadSignature as error:
        raise BadTokenError(_("This code is not a Fairlink badge.")) from error
    slug, _dot, digest = value.rpartition(".")
    if slug != exhibition.slug:
        raise BadTokenError(_("This badge is for another exhibition."))
    for person in participants(exhibition):
        if constant_time_compare(_person_digest(exhibition, person), digest):
            return person
    raise BadTokenError(_("This badge's holder no longer takes part in this exhibition."))


def _register_fonts():
    for name in (KOREAN_FONT, JAPANESE_FONT):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def font_for(text, *, bold=False, language="en"):
    """A font that has the glyphs of `text`: Hangul needs the Korean font, kana and kanji the
    Japanese one (Han alone follows the reader's language)."""
    if HANGUL.search(text):
        return KOREAN_FONT
    if KANA_OR_HAN.search(text):
        return KOREAN_FONT if language == "ko" and not re.search(r"[\u3040-\u30ff]", text) else JAPANESE_FONT
    return LATIN_BOLD_FONT if bold else LATIN_FONT


def _role(user, company):
    kind = _("Exhibitor") if company.kind == Company.Kind.EXHIBITOR else _("Buyer")
    return f"{kind} · {user.job_title}" if user.job_title else kind


def _fit(pdf, text, font, size, width):
    """The largest size up to `size` at which `text` fits `width` (down to 6 pt, then cut)."""
    while size > 6 and pdf.stringWidth(text, font, size) > width:
        size -= 0.5
    while text and pdf.stringWidth(text, font, size) > width:
        text = text[:-1]
    return text, size


def _draw_qr(pdf, token, x, y, side):
    qr = segno.make(token, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    count = len(matrix) + 8  # the quiet zone of four modules each side
    module = side / count
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + (c + 4) * module, y + side - (r + 5) * module, module, module, stroke=0, fill=1)


def _draw_badge(pdf, *, exhibition, user, x, y, width, height):
    language = user.preferred_language or "en"
    company = user.badge_company
    with translation.override(language):
        lines = [
            (exhibition.title, 9, False),
            (user.display_name, 20, True),
            (company.name, 12, False),
            (_role(user, company), 9, False),
        ]
    margin = 8 * mm if width > 80 * mm else 5 * mm
    inner = width - 2 * margin
    qr_side = min(inner, height * 0.45)
    cursor = y + height - margin
    for text, size, bold in lines:
        font = font_for(text, bold=bold, language=language)
        text, size = _fit(pdf, text, font, size, inner)
        cursor -= size * 1.3
        pdf.setFont(font, size)
        pdf.drawString(x + margin, cursor, text)
        cursor -= size * 0.4
    _draw_qr(pdf, badge_token(exhibition=exhibition, user=user), x + (width - qr_side) / 2, y + margin, qr_side)


def badges_pdf(*, exhibition, people, layout="a6"):
    """The PDF bytes of `people`'s badges: `layout` "a6" (one a page) or "sheet" (A4, eight
    A7 labels a page). Each person needs `badge_company` (see `participants`)."""
    _register_fonts()
    buffer = io.BytesIO()
    page = A4 if layout == "sheet" else A6
    pdf = canvas.Canvas(buffer, pagesize=page, pageCompression=1)
    pdf.setTitle(exhibition.slug)
    if layout == "sheet":
        width, height = page[0] / LABEL_COLUMNS, page[1] / LABEL_ROWS
        per_page = LABEL_COLUMNS * LABEL_ROWS
        for index, user in enumerate(people):
            if index and index % per_page == 0:
                pdf.showPage()
            column, row = index % LABEL_COLUMNS, (index % per_page) // LABEL_COLUMNS
            x, y = column * width, page[1] - (row + 1) * height
            _draw_badge(pdf, exhibition=exhibition, user=user, x=x, y=y, width=width, height=height)
    else:
        for user in people:
            _draw_badge(pdf, exhibition=exhibition, user=user, x=0, y=0, width=page[0], height=page[1])
            pdf.showPage()
    pdf.save()  # also closes a label sheet's last, partly filled page
    return buffer.getvalue()


def person_in(exhibition, pk):
    """A participant by id with `badge_company` set, or None (staff printing one badge)."""
    return next((person for person in participants(exhibition) if person.pk == pk), None)
