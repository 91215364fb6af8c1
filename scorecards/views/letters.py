"""Reference letters on the staff side (issue from a supplier's scorecard, revoke, download), and the public page a
letter's verification link opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import StaffRequiredMixin
from accounts.throttling import client_ip
from core.views import run_service, submit
from suppliers import selectors as supplier_selectors

from ..letters import selectors, services
from ..letters.forms import LetterIssueForm, LetterRevokeForm
from ..letters.pdf import letter_pdf_response
from .scorecards import scorecard_page


def _letters_of(supplier_id: int) -> str:
    return reverse("scorecards:supplier", args=[supplier_id]) + "#letters"


class LetterIssueView(StaffRequiredMixin, View):
    """Issue a reference letter from the supplier's scorecard page; a refusal shows there, with nothing written."""

    capability = services.ISSUE_CAPABILITY

    def post(self, request, pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=pk)
        form = LetterIssueForm(request.POST, user=request.user)
        try:
            done = submit(
                request,
                form,
                lambda data: services.reference_letter_issue(supplier=supplier, by=request.user, **data),
                _("Reference letter issued; the factory is told."),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            done = None
        if done:
            return redirect(_letters_of(supplier.pk))
        return scorecard_page(request, supplier, letter_form=form, status=400)


class LetterRevokeView(StaffRequiredMixin, View):
    """Revoke a letter: its verification link says "revoked" from now on."""

    capability = services.ISSUE_CAPABILITY

    def post(self, request, pk):
        letter = selectors.letter_get(user=request.user, pk=pk)
        form = LetterRevokeForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: services.reference_letter_revoke(
                    letter=letter, by=request.user, reason=form.cleaned_data["reason"]
                ),
                _("Letter revoked: its link now says so."),
            )
        else:
            messages.error(request, _("Say why the letter is revoked."))
        return redirect(_letters_of(letter.supplier_id))


class LetterPdfView(StaffRequiredMixin, View):
    """Download a letter's PDF."""

    def get(self, request, pk):
        return letter_pdf_response(selectors.letter_get(user=request.user, pk=pk))


# Checks of letters per client address and minute: plenty for a person, a wall for a script trying tokens. The
# count lives in the cache (Redis in production, shared by every web process), like the sign-in rate limits.
VERIFY_RATE = 30
VERIFY_WINDOW = 60


def _over_rate(request) -> bool:
    """Count one check for the client's address in the current minute; return whether it is one too many."""
    key = f"letter-verify:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        return cache.incr(key) > VERIFY_RATE
    except ValueError:  # expired between add and incr: this is the first check of a new minute
        cache.set(key, 1, VERIFY_WINDOW)
        return False


# What the public page answers: the same status and the same page shape whatever the link, so that trying
# tokens tells nothing but the one sentence.
@login_not_required
@never_cache
@require_GET
def letter_verify(request, token: str):
    """Say whether a reference letter is genuine, to whoever opens its link (no sign-in)."""
    if _over_rate(request):
        response = render(request, "scorecards/letter_verify.html", {"state": "limited"}, status=429)
    else:
        verification = selectors.letter_verify(token=token)
        context = {
            "state": verification.state,
            "letter": verification.letter,
            "letter_company": settings.FORGELINE_COMPANY_NAME,
        }
        if verification.letter is not None:
            context.update(
                figures=selectors.letter_figures_rows(verification.letter),
                country=selectors.letter_country(verification.letter),
            )
        response = render(request, "scorecards/letter_verify.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
