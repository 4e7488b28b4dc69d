"""Badge PDFs: staff of the exhibition's cooperative print everyone's or one person's; a
participant prints their own. HTTP only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from exhibitions.interpreters.views import runs_this_exhibition
from exhibitions.models import Exhibition

from . import badges

LAYOUTS = ("a6", "sheet")


def _pdf(exhibition, people, request, filename):
    layout = request.GET.get("layout", "a6")
    if layout not in LAYOUTS:
        layout = "a6"
    response = HttpResponse(badges.badges_pdf(exhibition=exhibition, people=people, layout=layout))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}-{layout}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@runs_this_exhibition
@require_GET
def badges_all(request, exhibition):
    return _pdf(exhibition, badges.participants(exhibition), request, f"badges-{exhibition.slug}")


@runs_this_exhibition
@require_GET
def badge_person(request, exhibition, pk):
    person = badges.person_in(exhibition, pk)
    if person is None:
        raise Http404
    return _pdf(exhibition, [person], request, f"badge-{exhibition.slug}-{pk}")


@login_required
@require_GET
def my_badge(request, slug):
    """Only people of a company taking part have a badge; anyone else gets 404."""
    exhibition = get_object_or_404(Exhibition, slug=slug)
    person = badges.person_in(exhibition, request.user.pk)
    if person is None:
        raise Http404
    return _pdf(exhibition, [person], request, f"badge-{exhibition.slug}")
