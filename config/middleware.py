"""Project-wide HTTP middleware: security headers, and refusing NUL bytes before any view."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has neither)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _refuse(request, message, status=400):
    """Plain text for pages; the API's own JSON error (companies/api_auth.py) under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "parse_error", "message": str(message)}, status=status)
    return HttpResponse(message, status=status, content_type="text/html; charset=utf-8")


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RejectNulBytesMiddleware:
    """A NUL byte in the path, a query or a form field is never meant: PostgreSQL cannot store
    it in text and refuses it with an error deep in some query. Answer 400 at the door."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return _refuse(request, _("The request contains a NUL character."))
        form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        if request.method == "POST" and form and _has_nul(request.POST):
            return _refuse(request, _("The request contains a NUL character."))
        if request.method == "POST" and form and _too_long(request.POST):
            return _refuse(request, _("A field of the form is longer than any text the site keeps."))
        return self.get_response(request)


def _too_long(query_dict):
    """Every free text has a limit: forms name the field for the lengths people type (a
    description of 5,000 characters, a message of 2,000); this catches whatever a form does
    not limit, so no field stores or renders megabytes (a 9 MB description was accepted)."""
    limit = settings.FORM_FIELD_MAX_CHARS
    return any(len(value) > limit for _key, values in query_dict.lists() for value in values)


class RequestSizeLimitMiddleware:
    """Refuse a body bigger than REQUEST_BODY_MAX_BYTES from its Content-Length, before any
    of it is read (the largest upload, a data import, is 5 MB)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, _("The request has an invalid Content-Length."))
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return _refuse(request, _("The request is too large."), status=413)
        return self.get_response(request)
