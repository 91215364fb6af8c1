from django.urls import path

from . import views

app_name = "scorecards"

urlpatterns = [
    path("", views.PortfolioView.as_view(), name="portfolio"),
    path("suppliers/<int:pk>/", views.SupplierScorecardView.as_view(), name="supplier"),
    path("suppliers/<int:pk>/deliveries/", views.KpiBehindView.as_view(), name="deliveries"),
    path("suppliers/<int:pk>/behind/<slug:kpi>/", views.KpiBehindView.as_view(), name="behind"),
    path("suppliers/<int:pk>/letters/new/", views.LetterIssueView.as_view(), name="letter_issue"),
    path("letters/<int:pk>/letter.pdf", views.LetterPdfView.as_view(), name="letter_pdf"),
    path("letters/<int:pk>/revoke/", views.LetterRevokeView.as_view(), name="letter_revoke"),
    path("red-flags/", views.FlagListView.as_view(), name="flag_list"),
    path("red-flags/bulk/", views.FlagBulkView.as_view(), name="flag_bulk"),
    path("red-flags/<int:pk>/", views.FlagDetailView.as_view(), name="flag_detail"),
    path("red-flags/<int:pk>/actions/", views.FlagPlaybookView.as_view(), name="flag_playbook"),
    path(
        "red-flags/<int:pk>/contract-review/",
        views.ContractReviewDecideView.as_view(),
        name="contract_review_decide",
    ),
    path("playbooks/", views.PlaybookEffectivenessView.as_view(), name="playbooks"),
    path("contests/", views.ContestListView.as_view(), name="contest_list"),
    path("contests/<int:pk>/", views.ContestDetailView.as_view(), name="contest_detail"),
    path("pilots/", views.PilotListView.as_view(), name="pilot_list"),
    path("pilots/new/<int:supplier_pk>/", views.PilotCreateView.as_view(), name="pilot_create"),
    path("pilots/<int:pk>/", views.PilotDetailView.as_view(), name="pilot_detail"),
    path("digest/preview/", views.DigestPreviewView.as_view(), name="digest_preview"),
    path("digest/preview.pdf", views.DigestPreviewPdfView.as_view(), name="digest_preview_pdf"),
    path("digest/preferences/", views.DigestPreferencesView.as_view(), name="digest_preferences"),
]
