from django import template

from matching.reasons import render_reasons

register = template.Library()


@register.filter
def reason_sentences(reasons):
    """A suggestion's reasons as sentences in the active language."""
    return render_reasons(reasons)


@register.filter
def percent(score):
    return round((score or 0) * 100)
