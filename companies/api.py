"""The REST API's company resources: public company profiles and the HS code search
(authentication and errors: companies/api_auth.py). Mounted by config/api_urls.py.

Permissions are the web pages' own (companies/rules.py): a company someone may not see is a
404 here as it is there."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from . import rules
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


class CompanyDetail(RetrieveAPIView):
    """A company's public profile: approved companies, and one's own (or any, for organisers)."""

    serializer_class = CompanySerializer
    lookup_field = "ref"

    def get_object(self):
        company = get_object_or_404(Company.objects.prefetch_related("hs_codes"), ref=self.kwargs["ref"])
        if not rules.can_view_company(self.request.user, company):
            raise Http404
        return company


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
