"""Sign-in pages and the user's own profile."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from . import services
from .forms import EmailAuthenticationForm, ProfileForm


class LoginView(auth_views.LoginView):
    """Sign in with email and password; factory contacts land in the portal, staff on the dashboard."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


def profile(request):
    """Show and edit the signed-in user's name, timezone and language, and their API token."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        return redirect("accounts:profile")
    token = Token.objects.filter(user=request.user).first()
    base = "portal/base.html" if request.user.is_portal_user else "base.html"
    return render(request, "accounts/profile.html", {"form": form, "token": token, "base_template": base})


@require_POST
def rotate_token(request):
    """Issue a new API token for the signed-in user and show it once."""
    token = services.user_rotate_api_token(user=request.user)
    messages.success(request, _("Your new API token is %(key)s — copy it now.") % {"key": token.key})
    return redirect("accounts:profile")
