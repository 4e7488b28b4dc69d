"""Staff mailings page: write, preview with the exact recipient count, confirm, send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from companies.rules import runs_exhibition

from . import mailings
from .forms import MailingForm
from .models import Exhibition, Mailing


@login_required
def mailing_list(request, slug):
    """GET: the mailings sent and a form. POST: the preview (each language, the exact count);
    POST with `confirmed_count` equal to the count now: queue it and go back to the list."""
    exhibition = get_object_or_404(Exhibition.objects.select_related("cooperative"), slug=slug)
    if not runs_exhibition(request.user, exhibition):
        raise Http404
    form = MailingForm(request.POST or None, groups=Mailing.Group.choices)
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        group = form.cleaned_data["group"]
        total, by_language = mailings.recipient_counts(exhibition, group)
        if "send" in request.POST and form.cleaned_data["confirmed_count"] == total and total:
            mailings.mailing_send(exhibition=exhibition, group=group, texts=form.texts(), by=request.user)
            messages.success(
                request,
                ngettext(
                    "The mailing is queued for %(count)d person.",
                    "The mailing is queued for %(count)d people.",
                    total,
                )
                % {"count": total},
            )
            return redirect("exhibitions:mailings", slug=exhibition.slug)
        changed = "send" in request.POST and total
        return render(
            request,
            "exhibitions/mailing_preview.html",
            {
                "exhibition": exhibition,
                "form": form,
                "group_label": dict(Mailing.Group.choices)[group],
                "total": total,
                "by_language": sorted(by_language.items()),
                "previews": mailings.previews(form.texts()),
                "changed": changed,
            },
        )
    return render(
        request,
        "exhibitions/mailing_list.html",
        {"exhibition": exhibition, "form": form, "mailings": mailings.mailings_with_progress(exhibition)},
    )
