from django import template

from companies import hs
from companies.models import SPOKEN_LANGUAGES, dotted_hs

register = template.Library()
LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


@register.filter
def language_names(codes):
    """'ko ja' -> 'Korean, Japanese', in the reader's language."""
    return ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in (codes or "").split())


@register.filter
def hs_name(code, language=None):
    """An HS code's name in the reader's language (then English): an HSCode, or a code as text.
    `{{ code|hs_name }}`, or `{{ code|hs_name:"ja" }}` for another language."""
    if hasattr(code, "name_in"):
        return code.name_in(language)
    return hs.hs_name(str(code), language)


@register.filter
def hs_label(code, language=None):
    """ "射出成形用の金型 (8480.71)": the name in the reader's language and the dotted code."""
    number = getattr(code, "code", code)
    return f"{hs_name(code, language)} ({dotted_hs(str(number))})"


@register.filter
def hs_dotted(code):
    """8480 -> 84.80, 848071 -> 8480.71."""
    return dotted_hs(str(getattr(code, "code", code)))
