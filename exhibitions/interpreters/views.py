"""Interpreter pool pages (staff of the exhibition's cooperative) and each interpreter's own
agenda and calendar feed (reached through their secret link, no login). HTTP only."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exhibitions.meetings import calendar
from exhibitions.meetings.services import MeetingError
from exhibitions.models import Exhibition, Interpreter, Meeting
from exhibitions.staff import runs_this_exhibition

from . import forms, selectors, services


@runs_this_exhibition
@require_GET
def pool(request, exhibition):
    interpreters = list(selectors.pool_for(exhibition))
    for interpreter in interpreters:
        interpreter.agenda_url = request.build_absolute_uri(_agenda_url(interpreter))
        interpreter.feed_url = request.build_absolute_uri(calendar.interpreter_feed_url(interpreter))
    return render(request, "interpreters/pool.html", {"exhibition": exhibition, "interpreters": interpreters})


def _agenda_url(interpreter):
    return reverse(
        "exhibitions:interpreter_agenda", kwargs={"slug": interpreter.exhibition.slug, "token": interpreter.token}
    )


def _edit(request, exhibition, interpreter=None):
    form = forms.InterpreterForm(request.POST or None, exhibition=exhibition, interpreter=interpreter)
    if request.method == "POST" and form.is_valid():
        try:
            services.interpreter_save(
                exhibition=exhibition, by=request.user, interpreter=interpreter, **form.cleaned_data
            )
        except services.InterpreterError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
            if not error.errors:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Interpreter saved."))
            return redirect("exhibitions:interpreters", slug=exhibition.slug)
    context = {"exhibition": exhibition, "form": form, "interpreter": interpreter}
    return render(request, "interpreters/form.html", context, status=400 if request.method == "POST" else 200)


@runs_this_exhibition
def interpreter_new(request, exhibition):
    return _edit(request, exhibition)


@runs_this_exhibition
def interpreter_edit(request, exhibition, pk):
    return _edit(request, exhibition, get_object_or_404(Interpreter, exhibition=exhibition, pk=pk))


@runs_this_exhibition
@require_POST
def interpreter_delete(request, exhibition, pk):
    interpreter = get_object_or_404(Interpreter, exhibition=exhibition, pk=pk)
    try:
        services.interpreter_delete(interpreter=interpreter, by=request.user)
    except services.InterpreterError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Interpreter removed."))
    return redirect("exhibitions:interpreters", slug=exhibition.slug)


@runs_this_exhibition
@require_POST
def interpreter_reset_link(request, exhibition, pk):
    interpreter = get_object_or_404(Interpreter, exhibition=exhibition, pk=pk)
    services.interpreter_link_reset(interpreter=interpreter, by=request.user)
    messages.success(request, _("New link made; the old one no longer works."))
    return redirect("exhibitions:interpreters", slug=exhibition.slug)


@runs_this_exhibition
def interpreters_import(request, exhibition):
    form = forms.InterpreterImportForm(request.POST or None, request.FILES or None)
    line_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created, updated = services.interpreters_import(
                exhibition=exhibition, by=request.user, text=form.cleaned_data["file"]
            )
        except services.InterpreterError as error:
            form.add_error(None, error.message)
            line_errors = sorted(error.errors.items())
        else:
            messages.success(
                request,
                _("%(created)s interpreters added, %(updated)s updated.") % {"created": created, "updated": updated},
            )
            return redirect("exhibitions:interpreters", slug=exhibition.slug)
    context = {"exhibition": exhibition, "form": form, "line_errors": line_errors}
    return render(request, "interpreters/import.html", context, status=400 if request.method == "POST" else 200)


@runs_this_exhibition
@require_POST
def meeting_interpreter(request, exhibition, pk):
    """Assign (or, with no interpreter, unassign) an interpreter on a booked meeting."""
    meeting = get_object_or_404(Meeting, exhibition=exhibition, pk=pk)
    form = forms.AssignInterpreterForm(request.POST, interpreters=selectors.interpreters_for_meeting(meeting))
    if not form.is_valid():
        messages.error(request, _("Choose an interpreter of this exhibition."))
    else:
        interpreter = form.cleaned_data["interpreter"]
        try:
            if interpreter is None:
                services.meeting_interpreter_unassign(meeting=meeting, by=request.user)
                messages.success(request, _("Interpreter removed from the meeting."))
            else:
                services.meeting_interpreter_assign(meeting=meeting, interpreter=interpreter, by=request.user)
                messages.success(request, _("%(name)s will interpret.") % {"name": interpreter.name})
        except MeetingError as error:
            messages.error(request, error.message)
    return redirect("exhibitions:meetings_detail", slug=exhibition.slug, pk=pk)


def _by_token(slug, token):
    exhibition = get_object_or_404(Exhibition.objects.exclude(status=Exhibition.Status.DRAFT), slug=slug)
    return get_object_or_404(Interpreter.objects.select_related("exhibition"), exhibition=exhibition, token=token)


@require_GET
def agenda(request, slug, token):
    """An interpreter's agenda; the secret token in the URL is the only credential."""
    interpreter = _by_token(slug, token)
    language = selectors.page_language(interpreter, request.GET.get("lang", ""))
    meetings = selectors.agenda_for(interpreter)
    with translation.override(language):
        context = {
            "exhibition": interpreter.exhibition,
            "interpreter": interpreter,
            "meetings": meetings,
            "feed_url": request.build_absolute_uri(calendar.interpreter_feed_url(interpreter)),
            "language": language,
        }
        response = render(request, "interpreters/agenda.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def calendar_feed(request, slug, token):
    interpreter = _by_token(slug, token)
    language = selectors.page_language(interpreter, request.GET.get("lang", ""))
    body = calendar.interpreter_feed_for(interpreter, selectors.agenda_for(interpreter), language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="fairlink-{interpreter.exhibition.slug}-interpreter.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
