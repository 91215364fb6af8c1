"""The REST API: one router for every app's viewsets, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from audits import api as audits_api
from audits import severity_api
from communications import api as communications_api
from core.search_api import SearchViewSet
from core.waiting_api import MyTasksViewSet
from imports import api as imports_api
from integrations import api as integrations_api
from orders import api as orders_api
from orders import production_api
from partnership import api as partnership_api
from payments import api as payments_api
from planning import api as planning_api
from pricing import api as pricing_api
from scorecards import api as scorecards_api
from suppliers import api as suppliers_api
from suppliers import registration_api

app_name = "api"

router = DefaultRouter()
router.register("suppliers", suppliers_api.SupplierViewSet, basename="supplier")
router.register("contacts", suppliers_api.ContactViewSet, basename="contact")
router.register("certifications", suppliers_api.CertificationViewSet, basename="certification")
router.register("registrations", registration_api.RegistrationViewSet, basename="registration")
router.register("orders", orders_api.OrderViewSet, basename="order")
router.register("deliveries", orders_api.DeliveryViewSet, basename="delivery")
router.register("order-changes", orders_api.OrderChangeViewSet, basename="order-change")

router.register("production-plans", production_api.ProductionPlanViewSet, basename="production-plan")
router.register("production-logs", production_api.ProductionLogViewSet, basename="production-log")
router.register("disruptions", orders_api.DisruptionViewSet, basename="disruption")
router.register("inspections", audits_api.InspectionViewSet, basename="inspection")
router.register("lab-reports", audits_api.BatchTestViewSet, basename="batch-test")
router.register("audits", audits_api.AuditViewSet, basename="audit")
router.register("corrective-actions", audits_api.CorrectiveActionViewSet, basename="corrective-action")
router.register("capability-claims", suppliers_api.CapabilityClaimViewSet, basename="capability-claim")
router.register("visit-people", audits_api.VisitPersonViewSet, basename="visit-person")
router.register("visit-notes", audits_api.VisitNoteViewSet, basename="visit-note")
router.register("visit-cadences", audits_api.VisitCadenceViewSet, basename="visit-cadence")
router.register("verification-policies", audits_api.VerificationPolicyViewSet, basename="verification-policy")
router.register(
    "inspection-severities", severity_api.InspectionSeverityViewSet, basename="inspection-severity"
)
router.register(
    "capability-observations", audits_api.CapabilityObservationViewSet, basename="capability-observation"
)
communications_api.register(router)
payments_api.register(router)
partnership_api.register(router)
pricing_api.register(router)
planning_api.register(router)
scorecards_api.register(router)
imports_api.register(router)
integrations_api.register(router)
router.register("search", SearchViewSet, basename="search")
router.register("me/tasks", MyTasksViewSet, basename="me-tasks")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from this same URL (?script) instead of inline,
    # so the page runs under the Content-Security-Policy without a nonce or 'unsafe-inline'.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
