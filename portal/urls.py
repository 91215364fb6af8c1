from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path("contacts/", views.PortalContactsView.as_view(), name="contacts"),
    path("contacts/new/", views.PortalContactFormView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/edit/", views.PortalContactFormView.as_view(), name="contact_edit"),
    path("certifications/", views.PortalCertificationsView.as_view(), name="certifications"),
    path(
        "certifications/upload/", views.PortalCertificationUploadView.as_view(), name="certification_upload"
    ),
    path("certifications/<int:pk>/document/", views.certification_document, name="certification_document"),
]
