"""Portal pages of the communications app (in the portal namespace)."""

from django.urls import path

from communications.views import (
    notification_list,
    notification_open,
    notification_preferences,
    notifications_read_all,
)

from . import communication_views as views

urlpatterns = [
    path("check-ins/", views.PortalCheckInsView.as_view(), name="checkins"),
    path("check-ins/<int:pk>/", views.PortalCheckInDetailView.as_view(), name="checkin_detail"),
    path("action-items/<int:pk>/done/", views.portal_action_item_done, name="action_item_done"),
    path("issues/", views.PortalIssueListView.as_view(), name="issues"),
    path("issues/<int:pk>/", views.PortalIssueDetailView.as_view(), name="issue_detail"),
    path("notifications/", notification_list, name="notifications"),
    path("notifications/settings/", notification_preferences, name="notification_preferences"),
    path("notifications/read/", notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", notification_open, name="notification_open"),
]
