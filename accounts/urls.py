"""The `accounts` URL names the project uses. Where django-allauth's view does the work, the pattern here has
the same path as allauth's own (accounts/allauth_urls.py), so both names lead to one page."""

from allauth.account import views as allauth_views
from django.urls import path, re_path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.api_token_create, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("profile/calendar/new/", views.calendar_feed_regenerate, name="calendar_feed_regenerate"),
    path("profile/calendar/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("profile/two-factor-prompt/dismiss/", views.mfa_prompt_dismiss, name="mfa_prompt_dismiss"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("password/reset/done/", allauth_views.password_reset_done, name="password_reset_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        allauth_views.password_reset_from_key,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/key/done/",
        allauth_views.password_reset_from_key_done,
        name="password_reset_complete",
    ),
]
