from django.urls import path, register_converter

from . import capability_views, invitation_views, picker_views, registration_views, views


class TabConverter:
    """A supplier page tab name, as listed in views.TABS."""

    regex = "|".join(name for name, _label in views.TABS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TabConverter, "tab")

app_name = "suppliers"

urlpatterns = [
    path("", views.SupplierListView.as_view(), name="list"),
    path("new/", views.SupplierFormView.as_view(), name="create"),
    path("picker/", picker_views.SupplierPickerView.as_view(), name="picker"),
    path("registrations/", registration_views.RegistrationListView.as_view(), name="registration_list"),
    path(
        "registrations/new/", registration_views.RegistrationInviteView.as_view(), name="registration_invite"
    ),
    path(
        "registrations/<int:pk>/",
        registration_views.RegistrationDetailView.as_view(),
        name="registration_detail",
    ),
    path(
        "registrations/<int:pk>/request-changes/",
        registration_views.RegistrationRequestChangesView.as_view(),
        name="registration_request_changes",
    ),
    path(
        "registrations/<int:pk>/accept/", registration_views.registration_accept, name="registration_accept"
    ),
    path(
        "registrations/<int:pk>/revoke/", registration_views.registration_revoke, name="registration_revoke"
    ),
    path(
        "registrations/<int:pk>/resend/", registration_views.registration_resend, name="registration_resend"
    ),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="detail"),
    path("<int:pk>/bank-details/", registration_views.SupplierBankDetailsView.as_view(), name="bank_details"),
    path(
        "<int:pk>/bank-details/<int:child_pk>/decide/",
        registration_views.bank_change_decide,
        name="bank_change_decide",
    ),
    path("<int:pk>/edit/", views.SupplierFormView.as_view(), name="edit"),
    path("<int:pk>/stage/", views.StageChangeView.as_view(), name="stage"),
    path("<int:pk>/contacts/new/", views.ContactFormView.as_view(), name="contact_create"),
    path("<int:pk>/contacts/<int:child_pk>/edit/", views.ContactFormView.as_view(), name="contact_edit"),
    path("<int:pk>/registration-check/", views.registration_check, name="registration_check"),
    path("<int:pk>/contacts/<int:child_pk>/deactivate/", views.contact_deactivate, name="contact_deactivate"),
    path(
        "<int:pk>/contacts/<int:child_pk>/invite/",
        invitation_views.ContactInviteView.as_view(),
        name="contact_invite",
    ),
    path(
        "<int:pk>/contacts/<int:child_pk>/invitation/resend/",
        invitation_views.contact_invitation_resend,
        name="contact_invitation_resend",
    ),
    path(
        "<int:pk>/contacts/<int:child_pk>/invitation/revoke/",
        invitation_views.contact_invitation_revoke,
        name="contact_invitation_revoke",
    ),
    path("<int:pk>/certifications/new/", views.CertificationFormView.as_view(), name="certification_create"),
    path(
        "<int:pk>/certifications/<int:child_pk>/edit/",
        views.CertificationFormView.as_view(),
        name="certification_edit",
    ),
    path(
        "<int:pk>/certifications/<int:child_pk>/review/",
        views.certification_review,
        name="certification_review",
    ),
    path(
        "<int:pk>/certifications/<int:child_pk>/document/",
        views.certification_document,
        name="certification_document",
    ),
    path("<int:pk>/references/new/", views.ReferenceFormView.as_view(), name="reference_create"),
    path(
        "<int:pk>/references/<int:child_pk>/edit/", views.ReferenceFormView.as_view(), name="reference_edit"
    ),
    path("<int:pk>/capacity/new/", views.AssessmentFormView.as_view(), name="assessment_create"),
    path(
        "<int:pk>/capability/",
        capability_views.CapabilityStatementView.as_view(),
        name="capability_statement",
    ),
    path(
        "<int:pk>/capacity/<int:child_pk>/edit/", views.AssessmentFormView.as_view(), name="assessment_edit"
    ),
    path("<int:pk>/contracts/new/", views.ContractFormView.as_view(), name="contract_create"),
    path("<int:pk>/contracts/<int:child_pk>/edit/", views.ContractFormView.as_view(), name="contract_edit"),
    path("<int:pk>/contracts/<int:child_pk>/document/", views.contract_document, name="contract_document"),
    path("<int:pk>/<tab:tab>/", views.SupplierDetailView.as_view(), name="tab"),
]
