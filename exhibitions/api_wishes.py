"""The REST API's wishes: a participant's own wishes at an exhibition (the "My wishes" page),
and setting or clearing one. Reads through exhibitions/wishes/selectors.py, writes through
exhibitions/wishes/services.py; the same people as the pages (a company that takes part)."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from companies.api_auth import TokenScopeAllowsMethod, json_object, json_ref
from companies.models import Company

from .models import Wish
from .selectors import exhibition_for, participating_buyers, participating_exhibitors
from .wishes import selectors, services

CLEAR = "clear"


class WishRuleBroken(APIException):
    """A wish rule forbids the change; the message is the service's own, translated."""

    status_code = 409
    default_code = "wish_rule"
    api_code = "wish_rule"


class WishRowSerializer(serializers.Serializer):
    company = serializers.CharField(source="company.ref", help_text="The company on the other side")
    name = serializers.CharField(source="company.name")
    mine = serializers.CharField(help_text="Your company's wish: must, want, no or empty")
    theirs = serializers.CharField(help_text="Their wish about your company")
    mutual = serializers.BooleanField()
    open_meeting = serializers.CharField(allow_null=True, help_text="The status of an open meeting of the pair")


class WishBody(serializers.Serializer):
    company = serializers.CharField(help_text="The ref of a company of the other side that takes part")
    priority = serializers.ChoiceField(choices=[*Wish.Priority.values, CLEAR])


class WishForm(forms.Form):
    priority = forms.ChoiceField(choices=[(value, value) for value in [*Wish.Priority.values, CLEAR]])


def _participant(user, slug):
    """The exhibition and the caller's company, which must take part in it (else 404)."""
    exhibition = exhibition_for(user, slug)
    company = user.company
    if company is None:
        raise Http404
    if company.kind == Company.Kind.BUYER:
        ok = selectors.registration_of(exhibition, company) is not None
    else:
        ok = selectors.application_of(exhibition, company) is not None
    if not ok:
        raise Http404
    return exhibition, company


class Wishes(GenericAPIView):
    """GET: the companies either side has a wish about, mutual ones first (as "My wishes").
    POST: set the caller's company's wish about one company (`priority` must, want or no),
    or clear it (`priority` clear)."""

    permission_classes = [TokenScopeAllowsMethod, permissions.IsAuthenticated]
    serializer_class = WishRowSerializer
    pagination_class = None

    def rows(self, exhibition, company):
        return Response(WishRowSerializer(selectors.wish_rows(exhibition, company), many=True).data)

    @extend_schema(responses=WishRowSerializer(many=True))
    def get(self, request, slug):
        return self.rows(*_participant(request.user, slug))

    @extend_schema(request=WishBody, responses=WishRowSerializer(many=True))
    def post(self, request, slug):
        exhibition, company = _participant(request.user, slug)
        by, _other = selectors.side_of_company(company)
        # A company that does not take part on the other side is a 404, as on the page.
        others = participating_exhibitors(exhibition) if by == Wish.By.BUYER else participating_buyers(exhibition)
        other = get_object_or_404(others, ref=json_ref(json_object(request), "company"))
        form = WishForm(json_object(request))
        if not form.is_valid():
            raise ValidationError(form.errors)
        priority = form.cleaned_data["priority"]
        pair = {"buyer": company, "exhibitor": other} if by == Wish.By.BUYER else {"buyer": other, "exhibitor": company}
        try:
            if priority == CLEAR:
                services.wish_clear(exhibition=exhibition, by=by, person=request.user, **pair)
            else:
                services.wish_set(exhibition=exhibition, by=by, priority=priority, person=request.user, **pair)
        except services.WishError as error:
            raise WishRuleBroken(error.message) from error
        return self.rows(exhibition, company)
