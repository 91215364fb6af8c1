"""The user's own account: profile and preferences, password change, API tokens, the second-factor prompt.

Signing in, the second factor, password reset and the sessions list are django-allauth's views
(accounts/allauth_urls.py), with our templates (templates/account/, templates/mfa/, templates/usersessions/).
"""

from allauth.account.views import PasswordChangeView as AllauthPasswordChangeView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language

from . import selectors, services
from .forms import ApiTokenForm, ProfileForm
from .languages import offered_language
from .models import ApiToken

# Session key: the user chose "Not now" on the invitation to set up two-factor authentication.
SESSION_MFA_PROMPT_DISMISSED = "_forgeline_mfa_prompt_dismissed"


def base_template(user) -> str:
    """Return the layout a user's own pages extend: the portal's for factory contacts, the staff one otherwise."""
    return "portal/base.html" if user.is_portal_user else "base.html"


def _profile_context(request, *, form=None, token_form=None) -> dict:
    return {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form or ApiTokenForm(),
        "tokens": selectors.api_token_list(user=request.user),
        "has_mfa": selectors.request_user_has_mfa(request),
        "calendar_feed_url": _calendar_feed_url(request),
        "base_template": base_template(request.user),
    }


def _calendar_feed_url(request) -> str:
    """Return the address of the user's calendar feed (served by communications/feeds.py), or "" when it is off."""
    feed = selectors.calendar_feed_of(user=request.user)
    return request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""


def profile(request):
    """Show and edit the signed-in user's name, timezone and language; list their API tokens and security."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_profile(user=request.user, **form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your preferences were saved."))
        response = redirect("accounts:profile")
        # The language cookie (set by the navbar's switcher) would otherwise outrank the profile's choice.
        set_language_cookie(response, user.language)
        return response
    return render(request, "accounts/profile.html", _profile_context(request, form=form))


def set_language_cookie(response, language: str) -> None:
    """Remember a language in the browser, as Django's set_language does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_not_required
def language_switch(request):
    """Switch the pages' language (the navbar's menu) through Django's set_language, back to the same page.

    A signed-in user keeps the choice on their profile too, so emails and their next sign-in elsewhere follow it.
    A language the site does not offer changes nothing.
    """
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if language and offered_language(language) != language:
        request.POST = request.POST.copy()
        del request.POST["language"]
        language = ""
    response = set_language(request)
    if language and request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return response


@require_POST
def api_token_create(request):
    """Issue a named API token and show its key, this once (the page is not stored, the key is not kept)."""
    token_form = ApiTokenForm(request.POST)
    if token_form.is_valid():
        try:
            token, key = services.api_token_create(user=request.user, **token_form.cleaned_data)
        except ValidationError as error:
            token_form.add_error(None, error)
        else:
            context = {"token": token, "key": key, "base_template": base_template(request.user)}
            return render(request, "accounts/api_token_created.html", context)
    return render(
        request, "accounts/profile.html", _profile_context(request, token_form=token_form), status=400
    )


@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of the signed-in user's API tokens."""
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@require_POST
def calendar_feed_regenerate(request):
    """Switch on the user's private calendar feed, or give it a new address (the old one stops working)."""
    had_one = selectors.calendar_feed_of(user=request.user) is not None
    services.calendar_feed_regenerate(user=request.user)
    if had_one:
        messages.success(request, _("Your calendar feed has a new address; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar feed is on: add its address to your calendar app."))
    return redirect(reverse("accounts:profile") + "#calendar-feed")


@require_POST
def calendar_feed_revoke(request):
    """Switch the user's calendar feed off: its address stops working."""
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar feed is off; its address no longer works."))
    return redirect(reverse("accounts:profile") + "#calendar-feed")


@require_POST
def mfa_prompt_dismiss(request):
    """Hide the invitation to set up two-factor authentication until the next sign-in."""
    request.session[SESSION_MFA_PROMPT_DISMISSED] = True
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "home"
    return redirect(next_url)


class PasswordChangeView(AllauthPasswordChangeView):
    """allauth's password change; then the user's other sessions end and their API tokens are revoked."""

    def form_valid(self, form):
        response = super().form_valid(form)  # the current session is kept (update_session_auth_hash)
        outcome = services.user_password_changed(
            user=form.user,
            current_session_key=self.request.session.session_key,
            keep_api_tokens=form.cleaned_data["keep_api_tokens"],
        )
        if outcome["tokens_revoked"]:
            messages.info(
                self.request,
                _("Your API tokens were revoked. Create new ones on your profile page."),
            )
        return response


class PasswordChangeDoneView(TemplateView):
    """Confirm a password change."""

    template_name = "accounts/password_change_done.html"
