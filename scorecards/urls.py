from django.urls import path

from . import views

app_name = "scorecards"

urlpatterns = [
    path("pilots/", views.PilotListView.as_view(), name="pilot_list"),
    path("pilots/new/<int:supplier_pk>/", views.PilotCreateView.as_view(), name="pilot_create"),
    path("pilots/<int:pk>/", views.PilotDetailView.as_view(), name="pilot_detail"),
]
