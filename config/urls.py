"""Top-level URLs: staff pages at /, the supplier portal at /portal/, the API at /api/v1/."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from communications.feeds import calendar_feed
from config.views import health, healthz
from core.search_views import SearchView
from core.uploads import file_download
from scorecards.views import letter_verify
from suppliers import views as supplier_views

# Every uploaded file's URL: the view checks that the user may see the object the file belongs to.
files_patterns = ([path("<path:name>", file_download, name="download")], "files")

# The admin site signs in through the one sign-in page, with its lockout and second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", supplier_views.dashboard, name="home"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("accounts.allauth_urls")),
    path("suppliers/", include("suppliers.urls")),
    path("pricing/", include("pricing.urls")),
    path("planning/", include("planning.urls")),
    path("orders/", include("orders.urls")),
    path("quality/", include("audits.urls")),
    path("communications/", include("communications.urls")),
    path("payments/", include("payments.urls")),
    path("partnership/", include("partnership.urls")),
    path("scorecards/", include("scorecards.urls")),
    path("imports/", include("imports.urls")),
    path("integrations/", include("integrations.urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("portal/", include("portal.urls")),
    path("api/v1/", include("config.api_urls")),
    path("files/", include(files_patterns)),
    # A user's private calendar feed (iCalendar), read by calendar apps with the secret token in the address.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    # A reference letter's verification link, printed on the letter: anyone may open it (the token is signed).
    path("verify/letter/<str:token>/", letter_verify, name="letter_verify"),
    # Django's set_language, which also keeps the choice on the signed-in user's profile.
    path("i18n/setlang/", account_views.language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    # For the container's health probe and load balancers: 200 or 503, no sign-in, no data.
    path("healthz", healthz, name="healthz"),
    # For monitoring: database, broker, worker heartbeat, beat's runs, the email outbox, disk; JSON, no secrets.
    path("health/", health, name="health"),
]

# An unknown URL under /api/ answers JSON like every other API error; elsewhere the usual page.
handler404 = "config.api_errors.page_not_found"
