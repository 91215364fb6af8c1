from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/choices/", views.inspection_choices, name="inspection_choices"),
    path("sampling-plan/", views.sampling_plan_preview, name="sampling_plan"),
    path("inspection-severities/", views.SeverityListView.as_view(), name="severity_list"),
    path("inspection-severities/<int:pk>/", views.SeverityDetailView.as_view(), name="severity_detail"),
    path("inspection-severities/<int:pk>/switch/", views.severity_switch, name="severity_switch"),
    path("lots/line/<int:pk>/", views.LineLotsView.as_view(), name="line_lots"),
    path("batch-tests/", views.BatchTestListView.as_view(), name="batch_test_list"),
    path("batch-tests/<int:pk>/review/", views.batch_test_review, name="batch_test_review"),
    path("audits/", views.AuditListView.as_view(), name="audit_list"),
    path("audits/new/", views.AuditPlanView.as_view(), name="audit_create"),
    path("audits/<int:pk>/", views.AuditDetailView.as_view(), name="audit_detail"),
    path("audits/<int:pk>/cancel/", views.audit_cancel, name="audit_cancel"),
    path("audits/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("audits/<int:pk>/capability/", views.capability_observe, name="capability_observe"),
    path(
        "capability-observations/<int:pk>/finding/",
        views.capability_finding_propose,
        name="capability_finding_propose",
    ),
    path("audits/<int:pk>/visit/people/", views.visit_person_add, name="visit_person_add"),
    path("audits/<int:pk>/visit/notes/", views.visit_note_add, name="visit_note_add"),
    path("suppliers/<int:pk>/visit-cadence/", views.visit_cadence, name="visit_cadence"),
    path("audits/<int:pk>/report.pdf", views.audit_report_pdf, name="audit_pdf"),
    path("holds/<int:pk>/decide/", views.hold_decide, name="hold_decide"),
    path("verification-policies/", views.VerificationPolicyListView.as_view(), name="policy_list"),
    path("verification-policies/new/", views.VerificationPolicyEditView.as_view(), name="policy_create"),
    path("verification-policies/<int:pk>/", views.VerificationPolicyEditView.as_view(), name="policy_edit"),
    path("verification-policies/<int:pk>/delete/", views.verification_policy_delete, name="policy_delete"),
    path("corrective-actions/", views.CapaListView.as_view(), name="capa_list"),
    path("corrective-actions/new/", views.CapaRaiseView.as_view(), name="capa_create"),
    path("corrective-actions/<int:pk>/", views.CapaDetailView.as_view(), name="capa_detail"),
    path("corrective-actions/<int:pk>/verify/", views.capa_verify, name="capa_verify"),
]
