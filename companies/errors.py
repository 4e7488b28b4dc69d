"""Error pages in the reader's language and the site's style, each with a way back."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

PAGES = {
    400: (_("Bad request"), _("The address or the form sent was not understood. Go back and try again.")),
    403: (_("Not allowed"), _("You do not have access to this page. Log in with another account or go back.")),
    404: (_("Page not found"), _("There is nothing at this address. It may have moved, or the link is mistyped.")),
    500: (_("Something went wrong"), _("The error is logged and we will look at it. Try again in a moment.")),
}


# Under /api/ (a URL no API view matched, e.g. /api/v1/webhooks/-1/) the API's JSON error.
API_CODES = {400: "parse_error", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _api_error(request, status):
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"code": API_CODES[status], "message": str(PAGES[status][0])}, status=status)
    return None


def _error(request, status, detail=""):
    if (response := _api_error(request, status)) is not None:
        return response
    title, text = PAGES[status]
    context = {"status": status, "title": title, "text": text, "detail": detail}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        detail=_("The form had expired or your browser refused its cookie. Reload the page and send the form again."),
    )


def server_error(request):
    # No request context: whatever broke may be a context processor or the database.
    if (response := _api_error(request, 500)) is not None:
        return response
    title, text = PAGES[500]
    html = get_template("errors/500.html").render({"title": title, "text": text})
    return HttpResponseServerError(html)
