"""Dates written the way the reader's language writes them, weekday included:
`{{ day|day }}` gives 2027年4月15日(木), 2027년 4월 15일 (목) or Thu, April 15, 2027;
`{{ day|monthday }}` leaves out the year. The patterns live in the format modules
(config/formats/<language>/formats.py), next to Django's own formats."""

from django import template
from django.utils import formats, translation

register = template.Library()


def _setting(name, fallback):
    for module in formats.get_format_modules(translation.get_language()):
        if hasattr(module, name):
            return getattr(module, name)
    return fallback


def _format(value, name, fallback):
    if value in (None, ""):
        return ""
    names = _setting("WEEKDAYS_SHORT", None)
    weekday = "".join(f"\\{c}" for c in names[value.weekday()]) if names else "D"
    return formats.date_format(value, _setting(name, fallback).replace("{w}", weekday))


@register.filter(expects_localtime=True)
def day(value):
    """The date with its weekday and year."""
    return _format(value, "DAY_FORMAT", "{w}, N j, Y")


@register.filter(expects_localtime=True)
def monthday(value):
    """The date with its weekday, without the year."""
    return _format(value, "MONTH_DAY_WEEKDAY_FORMAT", "{w}, N j")
