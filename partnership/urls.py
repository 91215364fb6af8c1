"""Staff pages of the partnership ledger, under /partnership/."""

from django.urls import path

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
    path("programmes/", training_views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", training_views.ProgrammeCreateView.as_view(), name="programme_create"),
]
