from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from companies import views as company_views
from exhibitions import views as exhibition_views


def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static_url("img/favicon.svg"))


# The admin logs in through allauth, so its login gets the same rate limits.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Fairlink"

urlpatterns = [
    path("", exhibition_views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
    # Before Django's own set_language: a signed-in person's preferred language follows the switch.
    path("i18n/setlang/", company_views.language_switch, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("companies/", include("companies.urls")),
    path("exhibitions/", include("exhibitions.urls")),
    path("matching/", include("matching.urls")),
    path("cooperative/webhooks/", include("companies.webhooks.urls")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]
handler400 = "companies.errors.bad_request"
handler403 = "companies.errors.permission_denied"
handler404 = "companies.errors.page_not_found"
handler500 = "companies.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
