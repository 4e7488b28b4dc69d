"""The REST API's company resources: public company profiles and the HS code search
(authentication and errors: companies/api_auth.py). Mounted by config/api_urls.py.

Permissions are the web pages' own (companies/rules.py): a company someone may not see is a
404 here as it is there."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from . import rules, selectors, services
from .api_auth import json_object
from .forms import CompanyForm
from .hs import search_hs
from .models import Company, HSCode

# --- Companies and HS codes ---------------------------------------------------------------


class HSCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, hs) -> str:
        return hs.name_in()


class CompanySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    hs_codes = HSCodeSerializer(many=True, read_only=True)
    # Empty when the company gave none, so not described as a URI.
    website = serializers.CharField(read_only=True, help_text="The company's website, or empty")

    class Meta:
        model = Company
        fields = ["ref", "kind", "name", "description", "city", "country", "languages", "website", "hs_codes"]
        read_only_fields = fields


class CompanyProfileSerializer(serializers.Serializer):
    """The profile fields an owner (or an organiser) edits on the company's edit page."""

    name_en = serializers.CharField(required=False, allow_blank=True, max_length=200)
    name_ko = serializers.CharField(required=False, allow_blank=True, max_length=200)
    name_ja = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description_en = serializers.CharField(required=False, allow_blank=True)
    description_ko = serializers.CharField(required=False, allow_blank=True)
    description_ja = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, help_text="Two-letter ISO code")
    city = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    employees = serializers.IntegerField(required=False, allow_null=True)
    founded = serializers.IntegerField(required=False, allow_null=True)
    keywords = serializers.CharField(required=False, allow_blank=True, help_text="Comma-separated")
    languages = serializers.ListField(child=serializers.CharField(), required=False, help_text="en, ko, ja, zh")
    certifications = serializers.ListField(child=serializers.CharField(), required=False, help_text="Names")
    hs_codes = serializers.ListField(child=serializers.CharField(), required=False, help_text="HS 2022 codes")


EDITABLE = set(CompanyProfileSerializer().fields)


def company_profile(company):
    """The editable profile as the PATCH body has it (reads certifications and HS codes)."""
    data = {name: getattr(company, name) for name in CompanyForm.Meta.fields}
    data["languages"] = company.language_list
    data["certifications"] = [c.name for c in company.certifications.order_by("name")]
    data["hs_codes"] = [h.code for h in company.hs_codes.order_by("code")]
    return data


def form_data(company, changes):
    """The edit page's form data: the company's profile with `changes` applied, so a PATCH
    validates exactly as a full save of the page would."""
    data = {**company_profile(company), **changes}
    data["certifications_text"] = "\n".join(data.pop("certifications") or [])
    return {name: value for name, value in data.items() if value is not None}


class CompanyDetail(RetrieveAPIView):
    """GET: a company's public profile: approved companies, and one's own (or any, for
    organisers). PATCH: change the profile fields its owners (and organisers) edit on the
    edit page, validated by that page's form (HS codes must exist)."""

    serializer_class = CompanySerializer
    lookup_field = "ref"

    def get_object(self):
        company = get_object_or_404(Company.objects.prefetch_related("hs_codes"), ref=self.kwargs["ref"])
        if not rules.can_view_company(self.request.user, company):
            raise Http404
        return company

    @extend_schema(request=CompanyProfileSerializer, responses=CompanyProfileSerializer)
    def patch(self, request, ref):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        company = selectors.company_for_editor(ref=ref, user=request.user)
        body = json_object(request)
        unknown = sorted(set(body) - EDITABLE)
        if unknown:
            raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        types = CompanyProfileSerializer(data=body, partial=True)  # lists are lists, texts texts
        if not types.is_valid():
            raise ValidationError(types.errors)
        form = CompanyForm(form_data(company, dict(types.validated_data)), instance=company)
        if not form.is_valid():
            errors = dict(form.errors)
            if "certifications_text" in errors:
                errors["certifications"] = errors.pop("certifications_text")
            raise ValidationError(errors)
        with transaction.atomic():
            services.company_update(
                company=company,
                by=request.user,
                fields=form.profile_fields(),
                certifications=services.certifications_from_text(form.cleaned_data["certifications_text"]),
                hs_codes=form.cleaned_data["hs_codes"],
            )
        return Response(company_profile(Company.objects.get(pk=company.pk)))


class HSCodeSearch(ListAPIView):
    """HS 2022 codes matching `q` in English, Korean or Japanese, best first (at most 20)."""

    serializer_class = HSCodeSerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Words or a code, any language")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        text = (self.request.query_params.get("q") or "").strip()[:100]
        return search_hs(HSCode.objects.all(), text) if text else []


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the personal tokens in the OpenAPI description."""

    target_class = "companies.api_auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (profile → API tokens)."}
