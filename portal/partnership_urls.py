"""Portal pages of the partnership ledger (in the portal namespace)."""

from django.urls import path

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
]
