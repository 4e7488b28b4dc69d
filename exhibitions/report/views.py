"""The report pages: a show's report for the staff of its cooperative (with the exchange
rates, Excel and PDF), each company's own report, and the cooperative's shows year over
year. HTTP only: figures come from selectors, charts from charts, files from exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from companies.models import Company
from companies.rules import is_member, organiser_required, runs_exhibition
from exhibitions.models import ExchangeRate, Exhibition
from exhibitions.staff import runs_this_exhibition

from . import charts, exports, forms, selectors, services


def _language(request):
    return getattr(request.user, "preferred_language", "") or translation.get_language() or "en"


@runs_this_exhibition
@require_GET
def report(request, exhibition):
    figures = selectors.report_for(exhibition)
    context = {"exhibition": exhibition, "figures": figures, "charts": charts.report_charts(figures)}
    return render(request, "report/report.html", context)


@runs_this_exhibition
def rates(request, exhibition):
    current = selectors.latest_rates([exhibition.pk]).get(exhibition.pk)
    initial = {"jpy_per_usd": current.jpy_per_usd, "krw_per_usd": current.krw_per_usd} if current else None
    form = forms.ExchangeRateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.exchange_rate_set(exhibition=exhibition, by=request.user, **form.cleaned_data)
        messages.success(request, _("Exchange rates saved."))
        return redirect("exhibitions:report", slug=exhibition.slug)
    history = ExchangeRate.objects.filter(exhibition=exhibition).select_related("set_by")[:20]
    status = 400 if request.method == "POST" else 200
    context = {"exhibition": exhibition, "form": form, "history": history}
    return render(request, "report/rates.html", context, status=status)


def _file(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@runs_this_exhibition
@require_GET
def report_xlsx(request, exhibition):
    with translation.override(_language(request)):
        content = exports.report_workbook(selectors.report_for(exhibition))
    return _file(content, exports.XLSX, f"report-{exhibition.slug}.xlsx")


@runs_this_exhibition
@require_GET
def report_pdf(request, exhibition):
    language = _language(request)
    with translation.override(language):
        content = exports.report_pdf(selectors.report_for(exhibition), language=language)
    return _file(content, "application/pdf", f"report-{exhibition.slug}.pdf")


def _company_report(request, slug, ref):
    """The exhibition and a company taking part in it, for its own people and the staff of
    the show's cooperative; anyone else gets 404 (nobody sees another company's report)."""
    exhibition = get_object_or_404(Exhibition.objects.visible_to(request.user).select_related("cooperative"), slug=slug)
    company = get_object_or_404(Company, ref=ref)
    if not (is_member(request.user, company) or runs_exhibition(request.user, exhibition)):
        raise Http404
    figures = selectors.report_for(exhibition, company=company)
    lines = figures.by_exhibitor if company.kind == Company.Kind.EXHIBITOR else figures.by_buyer
    if company.pk not in lines:  # not taking part in this show
        raise Http404
    return exhibition, company, figures


@login_required
@require_GET
def company_report(request, slug, ref):
    exhibition, company, figures = _company_report(request, slug, ref)
    context = {
        "exhibition": exhibition,
        "company": company,
        "figures": figures,
        "counterparts": selectors.counterparts(figures, company),
        "charts": charts.company_charts(figures, company),
    }
    return render(request, "report/company.html", context)


@login_required
@require_GET
def company_report_pdf(request, slug, ref):
    exhibition, company, figures = _company_report(request, slug, ref)
    language = _language(request)
    with translation.override(language):
        content = exports.report_pdf(figures, language=language, company=company)
    return _file(content, "application/pdf", f"report-{exhibition.slug}-{company.ref}.pdf")


@organiser_required
@require_GET
def years(request):
    years = selectors.years_for(request.user)
    totals = selectors.year_totals(years)
    context = {"years": years, "totals": totals, "charts": charts.year_charts(totals)}
    return render(request, "report/years.html", context)
