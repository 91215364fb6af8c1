"""The weekly manager email: its preview (HTML and PDF) and each manager's choice of what it covers."""

from base64 import b64encode
from hashlib import sha256
from html.parser import HTMLParser

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.views import submit

from .. import digest, services
from ..forms import DigestPreferenceForm
from ..models import DigestPreference, WeeklyDigest


def style_attribute_policy(html: str) -> dict:
    """Return the site's CSP, with style-src also allowing exactly the style="..." values found in `html`."""

    class StyleAttributes(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)  # values as the browser hashes them: entities decoded
            self.values = set()

        def handle_starttag(self, tag, attrs):
            self.values.update(value for name, value in attrs if name == "style" and value)

    parser = StyleAttributes()
    parser.feed(html)
    parser.close()
    hashes = sorted(f"'sha256-{b64encode(sha256(v.encode()).digest()).decode()}'" for v in parser.values)
    policy = dict(settings.SECURE_CSP)
    policy["style-src"] = [*policy.get("style-src", [CSP.SELF]), CSP.UNSAFE_HASHES, *hashes]
    return policy


class DigestPreviewView(StaffRequiredMixin, View):
    """This week's scorecard email exactly as the manager will get it, with a link to its PDF."""

    capability = "digest.receive"

    def get(self, request):
        week = digest.current_iso_week(request.user)
        subject, text, html = digest.digest_render(digest.digest_context(manager=request.user, iso_week=week))
        response = render(
            request,
            "scorecards/digest_preview.html",
            {
                "iso_week": week,
                "subject": subject,
                "text": text,
                "html": html,
                "pdf_name": digest.digest_pdf_filename(week),
                "sent": WeeklyDigest.objects.filter(manager=request.user, iso_week=week).first(),
                "opted_out": DigestPreference.objects.filter(user=request.user, enabled=False).exists(),
            },
        )
        # The email styles itself with style="..." attributes (mail programs drop stylesheets), and its srcdoc
        # frame lives under this page's Content-Security-Policy. Rather than 'unsafe-inline', this one page
        # allows exactly the attribute values the email has, by hash; the frame's sandbox runs no script.
        policy = build_policy(style_attribute_policy(html), nonce=get_nonce(request))
        response.headers["Content-Security-Policy"] = policy
        return response


class DigestPreviewPdfView(StaffRequiredMixin, View):
    """This week's scorecard PDF, as attached to the email."""

    capability = "digest.receive"

    def get(self, request):
        week = digest.current_iso_week(request.user)
        pdf = digest.digest_pdf(digest.digest_context(manager=request.user, iso_week=week))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{digest.digest_pdf_filename(week)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DigestPreferencesView(StaffRequiredMixin, View):
    """Opt out of the weekly scorecard email, or choose the suppliers it covers."""

    capability = "digest.receive"

    def get(self, request, form=None, status=200):
        instance = DigestPreference.objects.filter(user=request.user).first() or DigestPreference(
            user=request.user
        )
        return render(
            request,
            "scorecards/digest_preferences.html",
            {"form": form or DigestPreferenceForm(instance=instance)},
            status=status,
        )

    def post(self, request):
        instance = DigestPreference.objects.filter(user=request.user).first() or DigestPreference(
            user=request.user
        )
        form = DigestPreferenceForm(request.POST, instance=instance)
        done = submit(
            request,
            form,
            lambda data: services.digest_preference_save(user=request.user, **data),
            _("Your weekly scorecard choice is saved."),
        )
        if done:
            return redirect("scorecards:digest_preferences")
        return self.get(request, form=form, status=400)
