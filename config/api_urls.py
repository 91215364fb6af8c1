"""The REST API: one router for every app's viewsets, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from suppliers import api as suppliers_api

app_name = "api"

router = DefaultRouter()
router.register("suppliers", suppliers_api.SupplierViewSet, basename="supplier")
router.register("contacts", suppliers_api.ContactViewSet, basename="contact")
router.register("certifications", suppliers_api.CertificationViewSet, basename="certification")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
