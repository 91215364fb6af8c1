"""Staff pages: the dashboard, the supplier list and page with its tabs, and the evidence forms."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.exports import export_response
from core.uploads import file_download_response
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_home_context

from . import selectors, services
from .capability import capability_comparison_rows
from .exports import SUPPLIER_COLUMNS
from .filters import SupplierFilter
from .forms import (
    AssessmentForm,
    CertificationForm,
    CertificationReviewForm,
    ContactForm,
    ContractForm,
    ReferenceForm,
    RegistrationCheckForm,
    StageChangeForm,
    SupplierForm,
)
from .lifecycle import STAGE_DESCRIPTIONS
from .models import CapacityAssessment, Certification, ClientReference, Contact, Contract
from .verification import verification_rows

TABS = [
    ("overview", gettext_lazy("Overview")),
    ("contacts", gettext_lazy("Contacts")),
    ("certifications", gettext_lazy("Certifications")),
    ("references", gettext_lazy("References")),
    ("capacity", gettext_lazy("Capacity")),
    ("contracts", gettext_lazy("Contracts")),
    ("stages", gettext_lazy("Stage history")),
    ("changes", gettext_lazy("Change log")),
]


def dashboard(request):
    """The staff home page: what waits for the user first, then suppliers by stage and certificates to chase."""
    if request.user.is_portal_user:
        return redirect("portal:home")
    require_staff(request)
    today = timezone.localdate()
    expiring = list(selectors.certifications_expiring(user=request.user, today=today)[:50])
    for cert in expiring:
        cert.state = cert.expiry_state(today)
    return render(
        request,
        "suppliers/dashboard.html",
        {
            "stage_counts": selectors.supplier_stage_counts(user=request.user),
            "expiring": expiring,
            "pending": selectors.certifications_pending(user=request.user)[:50],
            "today": today,
            **waiting_home_context(request),
        },
    )


class SupplierListView(StaffRequiredMixin, View):
    """Search, filter, sort and page through suppliers; HTMX swaps only the table."""

    def get(self, request):
        today = timezone.localdate()
        filterset = SupplierFilter(
            request.GET or None, queryset=selectors.supplier_list(user=request.user, today=today)
        )
        if export := export_response(request, rows=filterset.qs, columns=SUPPLIER_COLUMNS, name="suppliers"):
            return export
        page, query = paginate(request, filterset.qs)
        context = {
            "filter": filterset,
            "page": page,
            "query": query,
            "today": today,
            "sort": request.GET.get("ordering", ""),
        }
        template = "suppliers/_supplier_table.html" if request.htmx else "suppliers/supplier_list.html"
        return render(request, template, context)


class SupplierFormView(StaffRequiredMixin, View):
    """Create a supplier, or edit one when a pk is given."""

    capability = "supplier.edit"

    def get_supplier(self, pk):
        return selectors.supplier_get(user=self.request.user, pk=pk) if pk else None

    def get(self, request, pk=None):
        supplier = self.get_supplier(pk)
        return self.render(SupplierForm(instance=supplier), supplier)

    def post(self, request, pk=None):
        supplier = self.get_supplier(pk)
        form = SupplierForm(request.POST, instance=supplier)

        def save(data):
            data = dict(data)
            categories = data.pop("categories")
            if data.get("owner") is None:
                data.pop("owner")
            if supplier is None:
                return services.supplier_create(by=request.user, categories=categories, **data)
            return services.supplier_update(supplier=supplier, by=request.user, categories=categories, **data)

        if done := submit(request, form, save):
            if supplier is None:
                messages.success(
                    request, _("Supplier %(name)s created as a prospect.") % {"name": done.result}
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(done.result)
        return self.render(form, supplier, status=400)

    def render(self, form, supplier, status=200):
        return render(
            self.request, "suppliers/supplier_form.html", {"form": form, "supplier": supplier}, status=status
        )


class SupplierDetailView(StaffRequiredMixin, View):
    """A supplier's page, one tab at a time."""

    def get(self, request, pk, tab="overview"):
        user, today = request.user, timezone.localdate()
        supplier = selectors.supplier_get(user=user, pk=pk)
        context = {
            "supplier": supplier,
            "tab": tab,
            "tabs": TABS,
            "today": today,
            "stage_description": STAGE_DESCRIPTIONS.get(supplier.stage),
        }
        if tab == "overview":
            context["timeline"] = selectors.supplier_timeline(user=user, supplier=supplier, limit=30)
            context["categories"] = supplier.categories.all()
            context["stage_options"] = selectors.supplier_stage_options(supplier=supplier, today=today)
            context["verification"] = verification_rows(supplier=supplier, today=business_today())
            context["registration_check_form"] = RegistrationCheckForm()
        elif tab == "contacts":
            context["contacts"] = selectors.contacts_with_portal_status(
                user=user, supplier=supplier, now=timezone.now()
            )
        elif tab == "certifications":
            certifications = list(selectors.supplier_certifications(user=user, supplier=supplier))
            for cert in certifications:
                cert.state = cert.expiry_state(today)
            context["certifications"] = certifications
            context["review_form"] = CertificationReviewForm()
        elif tab == "references":
            context["references"] = selectors.supplier_references(user=user, supplier=supplier)
        elif tab == "capacity":
            context["assessments"] = selectors.supplier_assessments(user=user, supplier=supplier)
            context["capability_rows"] = capability_comparison_rows(user=user, supplier=supplier)
            context["capability_history"] = selectors.capability_claim_history(user=user, supplier=supplier)[
                :50
            ]
        elif tab == "contracts":
            contracts = list(selectors.supplier_contracts(user=user, supplier=supplier))
            for contract in contracts:
                contract.in_force = contract.is_in_force_on(today)
            context["contracts"] = contracts
        elif tab == "stages":
            context["stage_changes"] = selectors.supplier_stage_history(user=user, supplier=supplier)
        elif tab == "changes":
            context["supplier_history"] = selectors.supplier_change_log(supplier=supplier)
            context["contract_history"] = selectors.contract_change_log(supplier=supplier)
        return render(request, f"suppliers/tabs/{tab}.html", context)


class StageChangeView(StaffRequiredMixin, View):
    """Move a supplier to another stage, showing what each stage needs and what is missing."""

    capability = "supplier.change_stage"

    def dispatch_form(self, request, pk, data=None):
        supplier = selectors.supplier_get(user=request.user, pk=pk)
        today = timezone.localdate()
        form = StageChangeForm(
            data,
            supplier=supplier,
            user=request.user,
            today=today,
            initial={"to_stage": request.GET.get("to")},
        )
        return supplier, form, today

    def get(self, request, pk):
        supplier, form, today = self.dispatch_form(request, pk)
        return self.render(supplier, form, today)

    def post(self, request, pk):
        supplier, form, today = self.dispatch_form(request, pk, request.POST)
        try:
            done = submit(
                request,
                form,
                lambda data: services.supplier_change_stage(
                    supplier=supplier, by=request.user, today=today, **data
                ),
            )
        except PermissionDenied as exc:  # a stage the user's role may not approve: said on the form
            form.add_error(None, str(exc))
            done = None
        if done:
            messages.success(
                request,
                _("%(name)s is now %(stage)s.")
                % {"name": supplier, "stage": done.result.get_to_stage_display()},
            )
            return redirect(supplier)
        return self.render(supplier, form, today, status=400)

    def render(self, supplier, form, today, status=200):
        context = {
            "supplier": supplier,
            "form": form,
            "options": selectors.supplier_stage_options(supplier=supplier, today=today),
            "stage_description": STAGE_DESCRIPTIONS.get(supplier.stage),
        }
        return render(self.request, "suppliers/stage_change.html", context, status=status)


class SupplierChildFormView(StaffRequiredMixin, View):
    """Add or edit one piece of a supplier's evidence (contact, certificate, reference ...)."""

    model = None
    form_class = None
    tab = ""
    title_add = ""
    title_edit = ""

    def save(self, *, supplier, obj, data):
        raise NotImplementedError

    def get_objects(self, pk, child_pk):
        supplier = selectors.supplier_get(user=self.request.user, pk=pk)
        obj = None
        if child_pk is not None:
            obj = get_object_or_404(
                self.model.objects.visible_to(self.request.user), pk=child_pk, supplier=supplier
            )
        return supplier, obj

    def get(self, request, pk, child_pk=None):
        supplier, obj = self.get_objects(pk, child_pk)
        return self.render(self.form_class(instance=obj), supplier, obj)

    def post(self, request, pk, child_pk=None):
        supplier, obj = self.get_objects(pk, child_pk)
        form = self.form_class(request.POST, request.FILES, instance=obj)
        if submit(
            request, form, lambda data: self.save(supplier=supplier, obj=obj, data=dict(data)), _("Saved.")
        ):
            return redirect("suppliers:tab", pk=supplier.pk, tab=self.tab)
        return self.render(form, supplier, obj, status=400)

    def render(self, form, supplier, obj, status=200):
        title = self.title_edit if obj else self.title_add
        return render(
            self.request,
            "suppliers/child_form.html",
            {"form": form, "supplier": supplier, "object": obj, "title": title, "tab": self.tab},
            status=status,
        )


class ContactFormView(SupplierChildFormView):
    model, form_class, tab, capability = Contact, ContactForm, "contacts", "contact.edit"
    title_add, title_edit = gettext_lazy("Add a contact"), gettext_lazy("Edit contact")

    def save(self, *, supplier, obj, data):
        services.contact_save(supplier=supplier, contact=obj, by=self.request.user, **data)


class CertificationFormView(SupplierChildFormView):
    model, form_class, tab, capability = (
        Certification,
        CertificationForm,
        "certifications",
        "certification.edit",
    )
    title_add, title_edit = gettext_lazy("Add a certification"), gettext_lazy("Edit certification")

    def save(self, *, supplier, obj, data):
        verified = data.pop("verified", False)
        if obj is None:
            services.certification_create(supplier=supplier, by=self.request.user, verified=verified, **data)
        else:
            services.certification_update(certification=obj, by=self.request.user, **data)


class ReferenceFormView(SupplierChildFormView):
    model, form_class, tab, capability = ClientReference, ReferenceForm, "references", "reference.edit"
    title_add, title_edit = gettext_lazy("Add a client reference"), gettext_lazy("Edit client reference")

    def save(self, *, supplier, obj, data):
        services.reference_save(supplier=supplier, reference=obj, by=self.request.user, **data)


class AssessmentFormView(SupplierChildFormView):
    model, form_class, tab, capability = CapacityAssessment, AssessmentForm, "capacity", "assessment.edit"
    title_add, title_edit = gettext_lazy("Record a capacity assessment"), gettext_lazy("Edit assessment")

    def save(self, *, supplier, obj, data):
        services.assessment_save(supplier=supplier, assessment=obj, by=self.request.user, **data)


class ContractFormView(SupplierChildFormView):
    model, form_class, tab, capability = Contract, ContractForm, "contracts", "contract.edit"
    title_add, title_edit = gettext_lazy("Add a contract"), gettext_lazy("Edit contract")

    def save(self, *, supplier, obj, data):
        services.contract_save(supplier=supplier, contract=obj, by=self.request.user, **data)


@require_POST
def contact_deactivate(request, pk, child_pk):
    """Mark a contact as having left the supplier."""
    require_staff(request, "contact.edit")
    supplier = selectors.supplier_get(user=request.user, pk=pk)
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=child_pk, supplier=supplier)
    services.contact_deactivate(contact=contact, by=request.user)
    messages.success(request, _("%(name)s is marked as no longer at the supplier.") % {"name": contact.name})
    return redirect("suppliers:tab", pk=pk, tab="contacts")


@require_POST
def certification_review(request, pk, child_pk):
    """Verify or reject a certificate the supplier submitted."""
    require_staff(request, "certification.verify")
    supplier = selectors.supplier_get(user=request.user, pk=pk)
    cert = get_object_or_404(Certification.objects.visible_to(request.user), pk=child_pk, supplier=supplier)
    form = CertificationReviewForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.certification_review(
                certification=cert,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            ),
            _("Review saved."),
        )
    else:
        messages.error(request, _("Choose whether to verify or reject the certificate."))
    return redirect(reverse("suppliers:tab", kwargs={"pk": pk, "tab": "certifications"}))


def certification_document(request, pk, child_pk):
    """Download a certificate's document (staff)."""
    require_staff(request)
    cert = get_object_or_404(Certification.objects.visible_to(request.user), pk=child_pk, supplier_id=pk)
    return file_download_response(cert.document, download_name=f"{cert.supplier.name}-{cert.standard_label}")


def contract_document(request, pk, child_pk):
    """Download a signed contract (staff)."""
    require_staff(request)
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=child_pk, supplier_id=pk)
    return file_download_response(
        contract.document, download_name=f"{contract.supplier.name}-contract-{contract.pk}"
    )


@require_POST
def registration_check(request, pk):
    """Record that the registration number was checked against a registry, by whom and when."""
    require_staff(request, "supplier.edit")
    supplier = selectors.supplier_get(user=request.user, pk=pk)
    form = RegistrationCheckForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.supplier_registration_check_record(
                supplier=supplier, by=request.user, registry=form.cleaned_data["registry"]
            ),
            _("Registration number check recorded."),
        )
    else:
        messages.error(request, _("Say which registry the number was checked against."))
    return redirect(supplier)
