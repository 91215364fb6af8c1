"""Staff pages of training and community programmes: lists per supplier, recording one, marking a training given."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.inputs import is_id
from core.views import paginate, submit
from suppliers.models import Supplier

from ..forms.training import (
    ProgrammeEditForm,
    ProgrammeForm,
    TrainingEditForm,
    TrainingForm,
    TrainingGivenForm,
)
from ..models import Training
from ..selectors import training as selectors
from ..services import training as services
from ..services.ideas import EDIT


def _supplier_filter(request):
    if is_id(raw := request.GET.get("supplier", "")):
        return Supplier.objects.visible_to(request.user).filter(pk=int(raw)).first()
    return None


def _suppliers(request):
    return Supplier.objects.visible_to(request.user).order_by("name").only("pk", "name")


class TrainingListView(StaffRequiredMixin, View):
    """Training offered or given, latest date first, for one supplier or all."""

    def get(self, request):
        supplier = _supplier_filter(request)
        status = request.GET.get("status", "")
        trainings = selectors.training_list(
            user=request.user, supplier_id=supplier.pk if supplier else None, status=status
        )
        page, query = paginate(request, trainings, per_page=25)
        return render(
            request,
            "partnership/ideas_training/list.html",
            {
                "page": page,
                "query": query,
                "supplier": supplier,
                "status": status,
                "statuses": Training.Status.choices,
                "suppliers": _suppliers(request),
                "can_edit": request.user.can(EDIT),
                "given_form": TrainingGivenForm(),
            },
        )


class _RecordCreateView(StaffRequiredMixin, View):
    """Record a training or programme: its form (the supplier filled from ?supplier=) hands the data to the
    record's service; done, back to the list of the record's supplier."""

    capability = EDIT
    form_class: type
    service: Callable  # the record service: (by=, **data) → the new record
    list_url_name: str
    title: str
    done: str

    def get(self, request):
        initial = {"supplier": request.GET["supplier"]} if is_id(request.GET.get("supplier", "")) else {}
        return self.render(self.form_class(user=request.user, initial=initial))

    def post(self, request):
        form = self.form_class(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: self.service(by=request.user, **data),
            str(self.done),
        )
        if done:
            return redirect(reverse(self.list_url_name) + f"?supplier={done.result.supplier_id}")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request,
            "partnership/ideas_training/form.html",
            {"form": form, "title": str(self.title)},
            status=status,
        )


class TrainingCreateView(_RecordCreateView):
    """Offer a training to a supplier, or record one already given."""

    form_class = TrainingForm
    service = staticmethod(services.training_record)
    list_url_name = "partnership:training_list"
    title = gettext_lazy("Offer or record a training")
    done = gettext_lazy("Training recorded.")


class TrainingGivenView(StaffRequiredMixin, View):
    """Record that a training took place (POST only)."""

    capability = EDIT

    def post(self, request, pk):
        training = selectors.training_get(user=request.user, pk=pk)
        form = TrainingGivenForm(request.POST)
        submit(
            request,
            form,
            lambda data: services.training_mark_given(training=training, by=request.user, **data),
            _("Training recorded as given."),
        )
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("partnership:training_list") + f"?supplier={training.supplier_id}")


class _RecordEditView(StaffRequiredMixin, View):
    """Correct a recorded training or programme: its edit form, filled from the record's correctable fields, hands
    the changes to the record's update service; done, back to the record on its list."""

    capability = EDIT
    form_class: type
    fields: tuple[str, ...]  # the service's correctable fields, the form's initial values
    fetch: Callable  # the selector: (user=, pk=) → the record, or 404
    service: Callable  # the update service, which takes the record by the keyword `name`
    name: str  # "training" or "programme": the service's keyword and the record's anchor on its list
    list_url_name: str
    label_field: str  # the field that names the record in the title
    title: str  # with %(<label_field>)s and %(supplier)s
    done: str

    def get(self, request, pk):
        record = self.fetch(user=request.user, pk=pk)
        initial = {field: getattr(record, field) for field in self.fields}
        return self.render(record, self.form_class(user=request.user, initial=initial))

    def post(self, request, pk):
        record = self.fetch(user=request.user, pk=pk)
        form = self.form_class(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: self.service(**{self.name: record}, by=request.user, **data),
            str(self.done),
        )
        if done:
            return redirect(self.list_url(done.result))
        return self.render(record, form, status=400)

    def list_url(self, record) -> str:
        return reverse(self.list_url_name) + f"?supplier={record.supplier_id}#{self.name}-{record.pk}"

    def render(self, record, form, status=200):
        title = str(self.title) % {
            self.label_field: getattr(record, self.label_field),
            "supplier": record.supplier.name,
        }
        return render(
            self.request,
            "partnership/ideas_training/form.html",
            {"form": form, "title": title, "cancel_url": self.list_url(record)},
            status=status,
        )


class TrainingEditView(_RecordEditView):
    """Correct a recorded training (topic, date, people, head count, who gives it); a given one stays given."""

    form_class = TrainingEditForm
    fields = services.TRAINING_FIELDS
    fetch = staticmethod(selectors.training_get)
    service = staticmethod(services.training_update)
    name, list_url_name, label_field = "training", "partnership:training_list", "topic"
    title = gettext_lazy("Correct the training %(topic)s (%(supplier)s)")
    done = gettext_lazy("Training corrected.")


class ProgrammeListView(StaffRequiredMixin, View):
    """Community and social programmes supported with suppliers."""

    def get(self, request):
        supplier = _supplier_filter(request)
        programmes = selectors.programme_list(
            user=request.user, supplier_id=supplier.pk if supplier else None
        )
        page, query = paginate(request, programmes, per_page=25)
        return render(
            request,
            "partnership/ideas_programmes/list.html",
            {
                "page": page,
                "query": query,
                "supplier": supplier,
                "suppliers": _suppliers(request),
                "can_edit": request.user.can(EDIT),
            },
        )


class ProgrammeCreateView(_RecordCreateView):
    """Record a community or social programme supported with a supplier."""

    form_class = ProgrammeForm
    service = staticmethod(services.programme_record)
    list_url_name = "partnership:programme_list"
    title = gettext_lazy("Record a community programme")
    done = gettext_lazy("Programme recorded.")


class ProgrammeEditView(_RecordEditView):
    """Correct a recorded community programme (name, description, period, contribution)."""

    form_class = ProgrammeEditForm
    fields = services.PROGRAMME_FIELDS
    fetch = staticmethod(selectors.programme_get)
    service = staticmethod(services.programme_update)
    name, list_url_name, label_field = "programme", "partnership:programme_list", "name"
    title = gettext_lazy("Correct the programme %(name)s (%(supplier)s)")
    done = gettext_lazy("Programme corrected.")
