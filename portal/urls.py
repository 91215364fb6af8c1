from django.urls import path

from core.search_views import PortalSearchView

from . import (
    bank_views,
    capability_views,
    communication_urls,
    contest_views,
    forecast_urls,
    invitation_views,
    letter_urls,
    order_change_urls,
    order_views,
    partnership_urls,
    payment_urls,
    price_urls,
    production_urls,
    quality_views,
    registration_views,
    scorecard_views,
    views,
    visit_views,
)

app_name = "portal"

urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path("search/", PortalSearchView.as_view(), name="search"),
    path("scorecard/", scorecard_views.PortalScorecardView.as_view(), name="scorecard"),
    path("scorecard/<slug:kpi>/", scorecard_views.PortalKpiBehindView.as_view(), name="scorecard_behind"),
    path("contests/", contest_views.PortalContestListView.as_view(), name="contests"),
    path("contests/<int:pk>/", contest_views.PortalContestDetailView.as_view(), name="contest_detail"),
    path(
        "contests/new/<slug:kind>/<int:row>/",
        contest_views.PortalContestCreateView.as_view(),
        name="contest_create",
    ),
    path("contacts/", views.PortalContactsView.as_view(), name="contacts"),
    path("contacts/new/", views.PortalContactFormView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/edit/", views.PortalContactFormView.as_view(), name="contact_edit"),
    path(
        "contacts/<int:pk>/invite/", invitation_views.PortalContactInviteView.as_view(), name="contact_invite"
    ),
    path("welcome/<str:token>/", invitation_views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("register/<str:token>/", registration_views.RegistrationView.as_view(), name="registration"),
    path(
        "register/<str:token>/add/<slug:kind>/",
        registration_views.registration_item_add,
        name="registration_item_add",
    ),
    path(
        "register/<str:token>/remove/<slug:kind>/<int:pk>/",
        registration_views.registration_item_remove,
        name="registration_item_remove",
    ),
    path("bank-details/", bank_views.PortalBankDetailsView.as_view(), name="bank_details"),
    path("capability/", capability_views.PortalCapabilityView.as_view(), name="capability"),
    path("certifications/", views.PortalCertificationsView.as_view(), name="certifications"),
    path(
        "certifications/upload/", views.PortalCertificationUploadView.as_view(), name="certification_upload"
    ),
    path("certifications/<int:pk>/document/", views.certification_document, name="certification_document"),
    path("orders/", order_views.PortalOrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", order_views.PortalOrderDetailView.as_view(), name="order_detail"),
    path("deliveries/", order_views.PortalDeliveryListView.as_view(), name="deliveries"),
    path("orders/<int:pk>/po.pdf", order_views.PortalOrderPdfView.as_view(), name="order_pdf"),
    path(
        "deliveries/<int:pk>/propose-date/",
        order_views.PortalProposeDateView.as_view(),
        name="delivery_propose",
    ),
    path("deliveries/<int:pk>/ship/", order_views.PortalShipView.as_view(), name="delivery_ship"),
    path("inspections/", quality_views.PortalInspectionListView.as_view(), name="inspections"),
    path("lab-reports/", quality_views.PortalBatchTestView.as_view(), name="batch_tests"),
    path("audits/", quality_views.PortalAuditListView.as_view(), name="audits"),
    path("audits/<int:pk>/", quality_views.PortalAuditDetailView.as_view(), name="audit_detail"),
    path("audits/<int:pk>/report.pdf", quality_views.portal_audit_pdf, name="audit_pdf"),
    path("audits/<int:pk>/visit-notes/", visit_views.PortalVisitNoteView.as_view(), name="visit_note_add"),
    path("corrective-actions/", quality_views.PortalCapaListView.as_view(), name="capa_list"),
    path("corrective-actions/<int:pk>/", quality_views.PortalCapaDetailView.as_view(), name="capa_detail"),
]

# Each app's portal pages, in the portal namespace.
urlpatterns += (
    communication_urls.urlpatterns
    + payment_urls.urlpatterns
    + order_change_urls.urlpatterns
    + price_urls.urlpatterns
    + forecast_urls.urlpatterns
    + production_urls.urlpatterns
    + partnership_urls.urlpatterns
    + letter_urls.urlpatterns
)
