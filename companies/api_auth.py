"""The REST API's foundation: bearer-token authentication, the token's scope, the rate per
token, and JSON errors with a stable code. Apart from companies/api.py because DRF's settings
import these classes while rest_framework.views is still loading (no views imported here)."""

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, permissions, throttling

from .tokens import api_token_authenticate

# --- Authentication -----------------------------------------------------------------------


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` with a personal token (companies/tokens.py)."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be “Bearer <token>”."))
        token = api_token_authenticate(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is not valid or has been revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScopeAllowsMethod(permissions.BasePermission):
    """A read token may only read; a read-write token (or the browser's session) may also write."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = request.auth
        if request.method in permissions.SAFE_METHODS or token is None or not hasattr(token, "can_write"):
            return True
        return token.can_write


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Per token when one is used, per person for the session, per address for anonymous
    callers; counted in the shared cache."""

    scope = "api"

    def get_cache_key(self, request, view):
        token = request.auth
        if token is not None and hasattr(token, "key_hash"):
            ident = f"token-{token.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


# --- Request bodies -----------------------------------------------------------------------


def json_object(request):
    """The request's body when it is an object (JSON, or a form); a list, a string or a number
    is a 400 `invalid`, not a crash in the form that reads it."""
    from django.http import QueryDict
    from rest_framework.exceptions import ValidationError

    data = request.data
    if isinstance(data, dict | QueryDict):
        return data
    raise ValidationError({"non_field_errors": [_("Send the fields as a JSON object.")]})


def json_ref(body, key):
    """A reference (a company's ref) from the body: text without NUL (PostgreSQL refuses it
    deep in the query), else "" (which matches nothing: a 404)."""
    value = body.get(key, "")
    return value if isinstance(value, str) and "\x00" not in value else ""


# --- Errors -------------------------------------------------------------------------------

ERROR_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
    exceptions.ParseError: "parse_error",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
}


def message_language(request):
    """Accept-Language when the caller sent one, else the token owner's preferred language."""
    if request is not None and not request.headers.get("Accept-Language") and request.user.is_authenticated:
        return request.user.preferred_language
    return translation.get_language()


def api_exception_handler(exc, context):
    """Every error as {"code": stable identifier, "message": in the requester's language},
    plus "fields" for invalid input."""
    from rest_framework.views import exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    request = context.get("request")
    language = message_language(request)
    with translation.override(language):
        response = exception_handler(exc, context)
        if response is None:
            return None
        code = getattr(exc, "api_code", None) or next(
            (c for cls, c in ERROR_CODES.items() if isinstance(exc, cls)), "error"
        )
        if isinstance(exc, exceptions.ValidationError):
            body = {"code": code, "message": str(_("Some fields are not valid.")), "fields": response.data}
        elif isinstance(exc, exceptions.NotFound):
            body = {"code": code, "message": str(_("Not found."))}
        else:
            body = {"code": code, "message": str(exc.detail)}
        body.update(getattr(exc, "extra", {}))  # e.g. an import's problems, each named
    response.data = body
    return response
