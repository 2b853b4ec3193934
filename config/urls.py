from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = "Kuzet"
admin.site.site_title = "Kuzet"
admin.site.index_title = _("Case records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("cases.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/two-factor/", include("core.two_factor_urls")),
    path("reports/", include("reports.urls")),
    path("files/", include("events.urls")),  # uploaded files, to who may see them; MEDIA_URL is not served
    path("", include("cases.urls")),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
