"""The supplier portal: a factory contact's view of its own company, and nothing else.

Every read goes through the selectors with `user=request.user`, which scope to `visible_to(user)`; an
object of another supplier answers 404, like a missing one.
"""

from datetime import timedelta

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.permissions import PortalRequiredMixin
from communications.calendar import days_off
from core.clock import business_today
from core.inputs import is_id
from core.uploads import file_download_response
from core.views import submit
from core.waiting import waiting_home_context, waiting_narrow
from suppliers import selectors, services
from suppliers.forms import ContactForm, PortalCertificationForm
from suppliers.models import Certification, Contact

from .invitation_views import portal_contacts_context

# The portal home lists the factory's own holidays and closures this many days ahead.
DAYS_OFF_AHEAD = 60


def portal_days_off_ahead(*, supplier, today):
    """Return the supplier's public holidays and declared closures from today, soonest first (one query)."""
    return sorted(
        days_off(supplier, today, today + timedelta(days=DAYS_OFF_AHEAD)).values(), key=lambda d: d.day
    )


class PortalHomeView(PortalRequiredMixin, View):
    """What waits for the factory first; then the company profile as the buyer holds it."""

    def get(self, request):
        supplier = selectors.supplier_get(user=request.user, pk=request.user.supplier_id)
        certifications = selectors.supplier_certifications(user=request.user, supplier=supplier)
        return render(
            request,
            "portal/home.html",
            {
                "supplier": supplier,
                "categories": supplier.categories.all(),
                "contacts": selectors.supplier_contacts(user=request.user, supplier=supplier).filter(
                    is_active=True
                ),
                "pending": list(certifications.filter(status=Certification.Status.PENDING)),
                "days_off": portal_days_off_ahead(supplier=supplier, today=business_today()),
                "days_off_horizon": DAYS_OFF_AHEAD,
                **waiting_home_context(request),
            },
        )


class PortalContactsView(PortalRequiredMixin, View):
    """The factory's contacts as the buyer has them."""

    def get(self, request):
        return render(request, "portal/contacts.html", portal_contacts_context(request, self.supplier))


class PortalContactFormView(PortalRequiredMixin, View):
    """A factory contact adds or corrects one of its company's contacts."""

    def get_contact(self, pk):
        if pk is None:
            return None
        return get_object_or_404(Contact.objects.visible_to(self.request.user), pk=pk)

    def get(self, request, pk=None):
        contact = self.get_contact(pk)
        return self.render(ContactForm(instance=contact), contact)

    def post(self, request, pk=None):
        contact = self.get_contact(pk)
        form = ContactForm(request.POST, instance=contact)
        if submit(
            request,
            form,
            lambda data: services.contact_save(
                supplier=self.supplier, contact=contact, by=request.user, **data
            ),
            _("Contact saved."),
        ):
            return redirect("portal:contacts")
        return self.render(form, contact, status=400)

    def render(self, form, contact, status=200):
        title = gettext_lazy("Edit contact") if contact else gettext_lazy("Add a contact")
        return render(
            self.request,
            "portal/form.html",
            {"form": form, "title": title, "back": "portal:contacts"},
            status=status,
        )


class PortalCertificationsView(PortalRequiredMixin, View):
    """The factory's certificates: verified, pending, rejected (with the reviewer's note), expiring."""

    def get(self, request):
        today = timezone.localdate()
        certifications = list(
            waiting_narrow(
                request, selectors.supplier_certifications(user=request.user, supplier=self.supplier)
            )
        )
        for cert in certifications:
            cert.state = cert.expiry_state(today)
        return render(
            request,
            "portal/certifications.html",
            {"supplier": self.supplier, "certifications": certifications},
        )


class PortalCertificationUploadView(PortalRequiredMixin, View):
    """Upload a new or renewed certificate; it stays pending until the buyer's staff verify it."""

    def get(self, request):
        initial = {}
        renews = request.GET.get("renews")
        if is_id(renews):
            old = get_object_or_404(Certification.objects.visible_to(request.user), pk=renews)
            initial = {
                "replaces": old,
                "standard": old.standard,
                "standard_other": old.standard_other,
                "issuer": old.issuer,
                "scope": old.scope,
            }
        return self.render(PortalCertificationForm(initial=initial, supplier=self.supplier))

    def post(self, request):
        form = PortalCertificationForm(request.POST, request.FILES, supplier=self.supplier)
        done = submit(
            request,
            form,
            lambda data: services.certification_create(supplier=self.supplier, by=request.user, **data),
            _("Thank you. The certificate is pending until our team verifies it."),
        )
        if done:
            return redirect("portal:certifications")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request,
            "portal/form.html",
            {
                "form": form,
                "title": gettext_lazy("Upload a certificate"),
                "back": "portal:certifications",
                "multipart": True,
            },
            status=status,
        )


def certification_document(request, pk):
    """Download one of the factory's own certificate documents."""
    cert = get_object_or_404(Certification.objects.visible_to(request.user), pk=pk)
    return file_download_response(
        cert.document, download_name=f"{cert.standard_label}-{cert.number or cert.pk}"
    )
