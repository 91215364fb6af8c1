"""Portal pages of the partnership ledger (in the portal namespace)."""

from django.urls import path

from . import announcement_views, product_invitation_views
from . import partnership_ideas_views as idea_views
from . import partnership_training_views as training_views

urlpatterns: list = [
    path("ideas/", idea_views.PortalIdeaListView.as_view(), name="partnership_ideas"),
    path("ideas/new/", idea_views.PortalIdeaCreateView.as_view(), name="partnership_idea_new"),
    path("ideas/<int:pk>/", idea_views.PortalIdeaDetailView.as_view(), name="partnership_idea_detail"),
    path("training/", training_views.PortalTrainingListView.as_view(), name="partnership_training"),
    path(
        "training/<int:pk>/accept/",
        training_views.PortalTrainingAcceptView.as_view(),
        name="partnership_training_accept",
    ),
    path("programmes/", training_views.PortalProgrammeListView.as_view(), name="partnership_programmes"),
    path("announcements/", announcement_views.PortalAnnouncementListView.as_view(), name="announcements"),
    path(
        "announcements/<int:pk>/",
        announcement_views.PortalAnnouncementDetailView.as_view(),
        name="announcement_detail",
    ),
    path(
        "announcements/<int:pk>/read/", announcement_views.portal_announcement_read, name="announcement_read"
    ),
    path(
        "product-invitations/",
        product_invitation_views.PortalInvitationListView.as_view(),
        name="invitations",
    ),
    path(
        "product-invitations/<int:pk>/",
        product_invitation_views.PortalInvitationDetailView.as_view(),
        name="invitation_detail",
    ),
    path(
        "product-invitations/<int:pk>/questions/",
        product_invitation_views.PortalInvitationAskView.as_view(),
        name="invitation_ask",
    ),
    path(
        "product-invitations/<int:pk>/samples/",
        product_invitation_views.PortalInvitationSampleView.as_view(),
        name="invitation_sample",
    ),
]
