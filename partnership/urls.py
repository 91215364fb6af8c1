"""Staff pages of the partnership ledger, under /partnership/."""

from django.urls import path

from .views import announcements, invitations
from .views import ideas as idea_views
from .views import training as training_views

app_name = "partnership"

urlpatterns: list = [
    path("ideas/", idea_views.IdeaListView.as_view(), name="idea_list"),
    path("ideas/new/", idea_views.IdeaCreateView.as_view(), name="idea_create"),
    path("ideas/<int:pk>/", idea_views.IdeaDetailView.as_view(), name="idea_detail"),
    path("training/", training_views.TrainingListView.as_view(), name="training_list"),
    path("training/new/", training_views.TrainingCreateView.as_view(), name="training_create"),
    path("training/<int:pk>/given/", training_views.TrainingGivenView.as_view(), name="training_given"),
    path("training/<int:pk>/edit/", training_views.TrainingEditView.as_view(), name="training_edit"),
    path("programmes/", training_views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", training_views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/edit/", training_views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("announcements/", announcements.AnnouncementListView.as_view(), name="announcement_list"),
    path("announcements/new/", announcements.AnnouncementCreateView.as_view(), name="announcement_create"),
    path(
        "announcements/<int:pk>/", announcements.AnnouncementDetailView.as_view(), name="announcement_detail"
    ),
    path(
        "announcements/<int:pk>/withdraw/", announcements.announcement_withdraw, name="announcement_withdraw"
    ),
    path("product-invitations/", invitations.InvitationListView.as_view(), name="invitation_list"),
    path("product-invitations/new/", invitations.InvitationCreateView.as_view(), name="invitation_create"),
    path(
        "product-invitations/<int:pk>/", invitations.InvitationDetailView.as_view(), name="invitation_detail"
    ),
    path(
        "product-invitations/<int:pk>/withdraw/", invitations.invitation_withdraw, name="invitation_withdraw"
    ),
    path(
        "product-invitations/invitees/<int:pk>/",
        invitations.InviteeDetailView.as_view(),
        name="invitee_detail",
    ),
    path(
        "product-invitations/samples/<int:pk>/evaluate/", invitations.sample_evaluate, name="sample_evaluate"
    ),
]
