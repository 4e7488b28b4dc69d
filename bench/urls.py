"""The product's URLs plus /bench/plain/<slug>/: a plain Django list page of 50 rows in
5 queries (the exhibition, the count, the page with its company and booth, the companies'
HS codes, their certifications), rendered by an ordinary template that extends base.html.
It is the yardstick the directory is measured against in the same run (bench/directory.py)."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import include, path

from companies.models import Certification, HSCode
from exhibitions.models import Exhibition, ExhibitorApplication


def plain_list(request, slug):
    exhibition = get_object_or_404(Exhibition, slug=slug)
    applications = (
        ExhibitorApplication.objects.filter(exhibition=exhibition, status=ExhibitorApplication.Status.APPROVED)
        .select_related("company", "booth__hall")
        .prefetch_related(
            Prefetch("company__hs_codes", queryset=HSCode.objects.order_by("code")),
            Prefetch("company__certifications", queryset=Certification.objects.order_by("name")),
        )
        .order_by("company__name_en", "id")
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    return render(request, "bench/plain_list.html", {"exhibition": exhibition, "page": page})


urlpatterns = [
    path("bench/plain/<slug:slug>/", plain_list),
    path("", include("config.urls")),
]
