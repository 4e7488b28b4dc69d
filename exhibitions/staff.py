"""Who runs an exhibition, for the staff pages and the staff API: the staff of the
cooperative that organises it, and admins. Staff of another cooperative are organisers too
(they vet companies and create their own shows) but get 404 on this show's pages, as
anyone else does."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404

from companies.rules import organiser_required, runs_exhibition

from .models import Exhibition


def staff_exhibition(user, slug):
    """The exhibition if `user` runs it; else 404."""
    exhibition = get_object_or_404(Exhibition.objects.select_related("cooperative"), slug=slug)
    if not runs_exhibition(user, exhibition):
        raise Http404
    return exhibition


def runs_this_exhibition(view):
    """A staff view of one exhibition (`slug`), called with the exhibition instead."""

    @wraps(view)
    @organiser_required
    def wrapper(request, slug, *args, **kwargs):
        return view(request, staff_exhibition(request.user, slug), *args, **kwargs)

    return wrapper
