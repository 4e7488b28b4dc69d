"""Conversation pages: HTTP only. A meeting's thread lives on the meeting page (posted and
refreshed here, with htmx or without JS); a mutual wish's thread has its own page; an
interpreter reads a meeting's thread through the secret agenda link. Anyone else: 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from companies.models import Company
from exhibitions.interpreters import selectors as interpreter_selectors
from exhibitions.interpreters.views import _by_token
from exhibitions.meetings import selectors as meeting_selectors
from exhibitions.models import Exhibition, Meeting

from . import forms, selectors, services


def thread_block(request, *, exhibition, buyer, exhibitor, meeting=None, form=None):
    """The context of the conversation block for a person who may join it; marks it read."""
    context = selectors.conversation_context(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, meeting=meeting)
    if context["conversation"] is not None:
        services.mark_read(conversation=context["conversation"], user=request.user, up_to=context["newest_id"])
    if meeting is not None:
        url = reverse("exhibitions:meetings_messages", kwargs={"slug": exhibition.slug, "pk": meeting.pk})
    else:
        url = reverse(
            "exhibitions:wish_conversation",
            kwargs={"slug": exhibition.slug, "buyer": buyer.ref, "exhibitor": exhibitor.ref},
        )
    context.update(message_form=form or forms.MessageForm(), post_url=url, poll_url=url)
    return context


def meeting_thread(request, meeting, form=None):
    """The meeting page's conversation block, or None for a person who may not join it
    (organisers of another cooperative see the meeting, not its messages)."""
    if not selectors.may_join(
        request.user, exhibition=meeting.exhibition, buyer_id=meeting.buyer_id, exhibitor_id=meeting.exhibitor_id
    ):
        return None
    return thread_block(
        request,
        exhibition=meeting.exhibition,
        buyer=meeting.buyer,
        exhibitor=meeting.exhibitor,
        meeting=meeting,
        form=form,
    )


def _post(request, form, **where):
    """Post the form's message; True when sent, else the error is on the form."""
    if not form.is_valid():
        return False
    try:
        services.message_post(author=request.user, body=form.cleaned_data["body"], **where)
    except services.MessageRefused as refused:
        form.add_error("body", refused.message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def meeting_messages(request, slug, pk):
    """The meeting's thread: htmx gets the block; without JS, GET and a sent message go back to
    the meeting page, and a refused one shows that page again with the error (400)."""
    exhibition = get_object_or_404(Exhibition.objects.visible_to(request.user), slug=slug)
    meeting = meeting_selectors.meeting_for(request.user, exhibition, pk)
    if meeting is None or not selectors.may_join(
        request.user, exhibition=exhibition, buyer_id=meeting.buyer_id, exhibitor_id=meeting.exhibitor_id
    ):
        raise Http404
    back = reverse("exhibitions:meetings_detail", kwargs={"slug": slug, "pk": pk}) + "#conversation"
    form = None
    if request.method == "POST":
        form = forms.MessageForm(request.POST)
        if _post(request, form, meeting=meeting):
            if not request.htmx:
                return redirect(back)
            form = None
        elif not request.htmx:
            from exhibitions.meetings.views import _detail_context  # the meeting page imports this module

            context = _detail_context(request, meeting, message=form)
            return render(request, "meetings/detail.html", context, status=400)
    elif not request.htmx:
        return redirect(back)
    # htmx swaps 2xx answers only: a refused message comes back as 200 with its error in place.
    return render(request, "conversations/_thread.html", {"thread": meeting_thread(request, meeting, form=form)})


def _pair(request, slug, buyer_ref, exhibitor_ref):
    exhibition = get_object_or_404(Exhibition.objects.visible_to(request.user), slug=slug)
    buyer = Company.objects.filter(ref=buyer_ref, kind=Company.Kind.BUYER).first()
    exhibitor = Company.objects.filter(ref=exhibitor_ref, kind=Company.Kind.EXHIBITOR).first()
    if buyer is None or exhibitor is None:
        raise Http404
    if not selectors.may_join(request.user, exhibition=exhibition, buyer_id=buyer.pk, exhibitor_id=exhibitor.pk):
        raise Http404
    # A pair's thread exists once the wish is mutual; it stays readable if that changes.
    exists = selectors.wish_conversation(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor) is not None
    if not exists and not services.is_mutual(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor):
        raise Http404
    return exhibition, buyer, exhibitor


@login_required
@require_http_methods(["GET", "POST"])
def wish_conversation(request, slug, buyer, exhibitor):
    """The conversation of a buyer and an exhibitor who both wish to meet."""
    exhibition, buyer, exhibitor = _pair(request, slug, buyer, exhibitor)
    pair = {"exhibition": exhibition, "buyer": buyer, "exhibitor": exhibitor}
    form = None
    status = 200
    if request.method == "POST":
        form = forms.MessageForm(request.POST)
        if _post(request, form, **pair):
            if not request.htmx:
                return redirect(request.path + "#conversation")
            form = None
        elif not request.htmx:
            status = 400
    thread = thread_block(request, form=form, **pair)
    if request.htmx:
        return render(request, "conversations/_thread.html", {"thread": thread})
    context = dict(pair, thread=thread, company=request.user.company)
    return render(request, "conversations/wish.html", context, status=status)


@require_GET
def interpreter_messages(request, slug, token, pk):
    """An interpreter reads a meeting's thread (read-only): only a booked meeting they are
    assigned to; the secret link is the only credential, as for their agenda."""
    interpreter = _by_token(slug, token)
    meeting = (
        Meeting.objects.select_related("exhibition", "buyer", "exhibitor")
        .filter(pk=pk, interpreter=interpreter, status__in=Meeting.BOOKED)
        .first()
    )
    if meeting is None:
        raise Http404
    language = interpreter_selectors.page_language(interpreter, request.GET.get("lang", ""))
    with translation.override(language):
        thread = selectors.conversation_context(
            exhibition=meeting.exhibition,
            buyer=meeting.buyer,
            exhibitor=meeting.exhibitor,
            meeting=meeting,
            read_only=True,
        )
        context = {
            "exhibition": meeting.exhibition,
            "interpreter": interpreter,
            "meeting": meeting,
            "thread": thread,
            "agenda_url": reverse("exhibitions:interpreter_agenda", kwargs={"slug": slug, "token": token}),
            "language": language,
        }
        response = render(request, "conversations/interpreter.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
