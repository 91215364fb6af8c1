"""The new factory's registration form, reached only through the link of its invitation (no account yet).

The draft lives in the database, not the session: the same link continues it on another day or device.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from core.views import add_service_errors, submit
from suppliers import registrations
from suppliers.registration_forms import ITEM_FORMS, RegistrationDraftForm

# A link that never existed (or was altered) is "not found"; one that did exist but no longer works is "gone".
UNUSABLE_STATUS = {"unknown": 404, "used": 410, "revoked": 410, "expired": 410}


def _unusable(request, reason: str):
    return render(
        request, "portal/registration_unusable.html", {"reason": reason}, status=UNUSABLE_STATUS[reason]
    )


def _language(request, registration):
    """Speak the registration's language, unless the reader chose another one on the page."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return translation.override(translation.get_language())
    return translation.override(registration.language)


def _render(request, registration, token, *, form=None, item_forms=None, status=200):
    item_forms = item_forms or {}
    context = {
        "registration": registration,
        "token": token,
        "form": form or RegistrationDraftForm(instance=registration),
        "item_forms": {kind: item_forms.get(kind) or cls() for kind, cls in ITEM_FORMS.items()},
        "sites": registration.sites.all(),
        "capacities": registration.capacities.select_related("category"),
        "certificates": registration.certificates.all(),
        "references": registration.references.all(),
        "missing": registrations.registration_missing(registration),
        "languages": settings.LANGUAGES,
    }
    return render(request, "portal/registration_form.html", context, status=status)


@method_decorator(login_not_required, name="dispatch")
class RegistrationView(View):
    """The registration form: save the draft, or submit it for review."""

    def get(self, request, token):
        try:
            registration = registrations.registration_for_token(token=token)
        except registrations.RegistrationUnusable as exc:
            return _unusable(request, exc.reason)
        with _language(request, registration):
            if registration.status == registration.Status.SUBMITTED:
                return render(request, "portal/registration_submitted.html", {"registration": registration})
            return _render(request, registration, token)

    def post(self, request, token):
        try:
            registration = registrations.registration_for_token(token=token)
        except registrations.RegistrationUnusable as exc:
            return _unusable(request, exc.reason)
        with _language(request, registration):
            if registration.status == registration.Status.SUBMITTED:
                # A second click on "Submit" (or a reload): already waiting, nothing more to do.
                return redirect("portal:registration", token=token)
            form = RegistrationDraftForm(request.POST, request.FILES, instance=registration)
            wants_submit = request.POST.get("action") == "submit"
            try:
                # The draft is saved first, and stays saved even when the submission lacks something.
                done = submit(
                    request,
                    form,
                    lambda data: registrations.registration_save(registration=registration, **data),
                    None if wants_submit else _("Saved. Use the same link to continue later."),
                )
                if done and wants_submit:
                    try:
                        with transaction.atomic():
                            registrations.registration_submit(registration=registration)
                        messages.success(request, _("Submitted: we will email you after the review."))
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                        done = None
            except registrations.RegistrationUnusable as exc:
                return _unusable(request, exc.reason)
            if not done:
                registration.refresh_from_db()
                return _render(request, registration, token, form=form, status=400)
        return redirect("portal:registration", token=token)


@login_not_required
@require_POST
def registration_item_add(request, token, kind):
    """Add a site, a capacity line, a certificate or a client reference to the draft."""
    if kind not in ITEM_FORMS:
        raise Http404
    try:
        registration = registrations.registration_for_token(token=token)
    except registrations.RegistrationUnusable as exc:
        return _unusable(request, exc.reason)
    with _language(request, registration):
        form = ITEM_FORMS[kind](request.POST, request.FILES)
        try:
            done = submit(
                request,
                form,
                lambda data: registrations.registration_item_add(
                    registration=registration, item=kind, **data
                ),
                _("Added."),
            )
        except registrations.RegistrationUnusable as exc:
            return _unusable(request, exc.reason)
        if not done:
            return _render(request, registration, token, item_forms={kind: form}, status=400)
    return redirect(reverse("portal:registration", kwargs={"token": token}) + f"#{kind}s")


@login_not_required
@require_POST
def registration_item_remove(request, token, kind, pk):
    """Remove one entry from the draft."""
    try:
        registration = registrations.registration_for_token(token=token)
    except registrations.RegistrationUnusable as exc:
        return _unusable(request, exc.reason)
    with _language(request, registration):
        try:
            registrations.registration_item_remove(registration=registration, item=kind, pk=pk)
            messages.success(request, _("Removed."))
        except registrations.RegistrationUnusable as exc:
            return _unusable(request, exc.reason)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("portal:registration", token=token)
