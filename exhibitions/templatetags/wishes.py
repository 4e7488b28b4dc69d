"""The wish control (must meet / would like to meet / not interested / clear)."""

from django import template

register = template.Library()


@register.inclusion_tag("wishes/_control.html", takes_context=True)
def wish_control(context, exhibition, other, mine="", next_url=None):
    """`other` is the company on the other side (needs `ref` and `name`); `mine` the current
    wish of the viewer's company ("" for none)."""
    request = context.get("request")
    return {
        "exhibition": exhibition,
        "other": other,
        "mine": mine or "",
        "next": next_url if next_url is not None else (request.get_full_path() if request else ""),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def wish_of(wishes, key):
    """`wishes|wish_of:company_id` -> the priority in a {id: priority} map, or ""."""
    return (wishes or {}).get(key, "")
