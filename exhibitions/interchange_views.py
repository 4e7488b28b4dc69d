"""Staff pages for exhibition-data/1 and /2: upload → problems or a preview → confirm; export.

The uploaded text waits in the session between preview and confirm, with its SHA-256 in
the confirm form: confirm imports exactly the previewed file or nothing.
"""

import hashlib
import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from companies.rules import organiser_required

from .interchange import (
    ImportRejected,
    dump_exhibition_data,
    export_exhibition_data,
    import_exhibition_data,
    parse_exhibition_data,
    plan_import,
)
from .models import Exhibition
from .staff import staff_exhibition

SESSION_KEY = "interchange_upload"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Exhibition data file (JSON)"),
        help_text=gettext_lazy("Format exhibition-data/1 or exhibition-data/2, at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 5 MB."))
        return upload


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sections(plan):
    titles = {
        "exhibition": _("Exhibitions"),
        "company": _("Companies"),
        "participation": _("Participations"),
        "meeting": _("Meetings"),
        "meeting_hours": _("Meeting hours"),
        "interpreter": _("Interpreters"),
        "wish": _("Wishes"),
    }
    return [
        {
            "kind": kind,
            "title": titles[kind],
            "create": plan.of(kind, "create"),
            "update": plan.of(kind, "update"),
            "unchanged": len(plan.of(kind, "unchanged")),
        }
        for kind in plan.kinds
    ]


def _page(request, **context):
    context.setdefault("form", UploadForm())
    exhibitions = Exhibition.objects.order_by("-starts_on", "slug")
    if not request.user.is_superuser:
        exhibitions = exhibitions.filter(cooperative_id=request.user.cooperative_id)
    context["exhibitions"] = exhibitions
    return render(request, "interchange/import.html", context)


@organiser_required
def data_import(request):
    """GET: the upload form and export links. POST: validate the upload, then list its problems
    or preview what importing it would change."""
    if request.method != "POST":
        return _page(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    upload = form.cleaned_data["file"]
    data, problems = parse_exhibition_data(upload.read())
    plan = None
    if not problems:
        plan = plan_import(data, by=request.user)
        problems = plan.problems
    if problems:
        request.session.pop(SESSION_KEY, None)
        return _page(request, form=form, problems=problems, filename=upload.name)
    content = json.dumps(data, ensure_ascii=False)
    digest = _digest(content)
    request.session[SESSION_KEY] = {"sha256": digest, "content": content, "name": upload.name}
    return _page(request, plan=plan, sections=_sections(plan), digest=digest, filename=upload.name)


@organiser_required
@require_POST
def data_import_confirm(request):
    """Import the file previewed in this session, if it is the one the form names."""
    stored = request.session.get(SESSION_KEY)
    digest = request.POST.get("sha256", "")
    if not stored or stored.get("sha256") != digest or _digest(stored.get("content", "")) != digest:
        messages.error(request, _("The previewed file has changed or is gone; nothing was imported. Upload it again."))
        return redirect("exhibitions:data_import")
    try:
        plan = import_exhibition_data(data=json.loads(stored["content"]), by=request.user)
    except ImportRejected as exc:
        request.session.pop(SESSION_KEY, None)
        return _page(request, problems=exc.problems, filename=stored["name"])
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Imported %(name)s: %(summary)s.") % {"name": stored["name"], "summary": "; ".join(plan.summary_lines())},
    )
    return redirect("exhibitions:data_import")


@organiser_required
def data_export(request):
    """Download everything of the shows one runs (an admin: everything), or one of them
    (?exhibition=slug), as exhibition-data/2."""
    slug = request.GET.get("exhibition", "")
    if slug:
        data = export_exhibition_data(exhibition=staff_exhibition(request.user, slug))
    else:
        data = export_exhibition_data(cooperative=None if request.user.is_superuser else request.user.cooperative)
    body = dump_exhibition_data(data)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"exhibition-data-{slug or 'all'}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
