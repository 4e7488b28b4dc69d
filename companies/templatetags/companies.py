from django import template

from companies.models import SPOKEN_LANGUAGES

register = template.Library()
LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


@register.filter
def language_names(codes):
    """'ko ja' -> 'Korean, Japanese', in the reader's language."""
    return ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in (codes or "").split())
