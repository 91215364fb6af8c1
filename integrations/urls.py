from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("", views.IntegrationListView.as_view(), name="list"),
    path("webhooks/new/", views.EndpointCreateView.as_view(), name="endpoint_create"),
    path("webhooks/<int:pk>/", views.EndpointDetailView.as_view(), name="endpoint_detail"),
    path("webhooks/<int:pk>/<slug:action>/", views.EndpointActionView.as_view(), name="endpoint_action"),
    path("chat/new/", views.ChannelCreateView.as_view(), name="channel_create"),
    path("chat/<int:pk>/", views.ChannelDetailView.as_view(), name="channel_detail"),
    path("chat/<int:pk>/<slug:action>/", views.ChannelActionView.as_view(), name="channel_action"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(), name="delivery_detail"),
    path("deliveries/<int:pk>/replay/", views.DeliveryReplayView.as_view(), name="delivery_replay"),
]
