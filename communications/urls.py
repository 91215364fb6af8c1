from django.urls import path

from . import views

app_name = "communications"

urlpatterns = [
    path("checkins/", views.CheckInListView.as_view(), name="checkin_list"),
    path("checkins/<int:pk>/", views.CheckInDetailView.as_view(), name="checkin_detail"),
    path("action-items/<int:pk>/toggle/", views.action_item_toggle, name="action_item_toggle"),
    path("suppliers/<int:supplier_pk>/calendar/", views.PartnerCalendarView.as_view(), name="calendar"),
    path("suppliers/<int:supplier_pk>/schedule/", views.ScheduleView.as_view(), name="schedule_create"),
    path(
        "suppliers/<int:supplier_pk>/schedule/<int:pk>/", views.ScheduleView.as_view(), name="schedule_edit"
    ),
    path("issues/", views.IssueListView.as_view(), name="issue_list"),
    path("issues/new/", views.IssueCreateView.as_view(), name="issue_create"),
    path("issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path("issues/<int:pk>/resolve/", views.issue_resolve, name="issue_resolve"),
    path("issues/<int:pk>/corrective-action/", views.issue_capa, name="issue_capa"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/settings/", views.notification_preferences, name="notification_preferences"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]
