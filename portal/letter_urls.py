"""Portal pages of reference letters (in the portal namespace)."""

from django.urls import path

from . import letter_views

urlpatterns = [
    path("reference-letters/", letter_views.PortalLetterListView.as_view(), name="reference_letters"),
    path(
        "reference-letters/<int:pk>/letter.pdf",
        letter_views.PortalLetterPdfView.as_view(),
        name="reference_letter_pdf",
    ),
]
