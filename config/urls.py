"""Top-level URLs: staff pages at /, the supplier portal at /portal/, the API at /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from suppliers import views as supplier_views

urlpatterns = [
    path("", supplier_views.dashboard, name="home"),
    path("accounts/", include("accounts.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("portal/", include("portal.urls")),
    path("api/v1/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
