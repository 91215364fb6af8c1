"""Staff pages of training and community programmes: lists per supplier, recording one, marking a training given."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
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


class TrainingCreateView(StaffRequiredMixin, View):
    """Offer a training to a supplier, or record one already given."""

    capability = EDIT

    def get(self, request):
        initial = {"supplier": request.GET["supplier"]} if is_id(request.GET.get("supplier", "")) else {}
        return self.render(TrainingForm(user=request.user, initial=initial))

    def post(self, request):
        form = TrainingForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.training_record(by=request.user, **data),
            _("Training recorded."),
        )
        if done:
            return redirect(reverse("partnership:training_list") + f"?supplier={done.result.supplier_id}")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request,
            "partnership/ideas_training/form.html",
            {"form": form, "title": _("Offer or record a training")},
            status=status,
        )


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


class TrainingEditView(StaffRequiredMixin, View):
    """Correct a recorded training (topic, date, people, head count, who gives it); a given one stays given."""

    capability = EDIT

    def get(self, request, pk):
        training = selectors.training_get(user=request.user, pk=pk)
        initial = {field: getattr(training, field) for field in services.TRAINING_FIELDS}
        return self.render(training, TrainingEditForm(user=request.user, initial=initial))

    def post(self, request, pk):
        training = selectors.training_get(user=request.user, pk=pk)
        form = TrainingEditForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.training_update(training=training, by=request.user, **data),
            _("Training corrected."),
        )
        if done:
            return redirect(done.result.get_absolute_url())
        return self.render(training, form, status=400)

    def render(self, training, form, status=200):
        return render(
            self.request,
            "partnership/ideas_training/form.html",
            {
                "form": form,
                "title": _("Correct the training %(topic)s (%(supplier)s)")
                % {"topic": training.topic, "supplier": training.supplier.name},
                "cancel_url": training.get_absolute_url(),
            },
            status=status,
        )


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


class ProgrammeCreateView(StaffRequiredMixin, View):
    """Record a community or social programme supported with a supplier."""

    capability = EDIT

    def get(self, request):
        initial = {"supplier": request.GET["supplier"]} if is_id(request.GET.get("supplier", "")) else {}
        return self.render(ProgrammeForm(user=request.user, initial=initial))

    def post(self, request):
        form = ProgrammeForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.programme_record(by=request.user, **data),
            _("Programme recorded."),
        )
        if done:
            return redirect(reverse("partnership:programme_list") + f"?supplier={done.result.supplier_id}")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request,
            "partnership/ideas_training/form.html",
            {"form": form, "title": _("Record a community programme")},
            status=status,
        )


class ProgrammeEditView(StaffRequiredMixin, View):
    """Correct a recorded community programme (name, description, period, contribution)."""

    capability = EDIT

    def get(self, request, pk):
        programme = selectors.programme_get(user=request.user, pk=pk)
        initial = {field: getattr(programme, field) for field in services.PROGRAMME_FIELDS}
        return self.render(programme, ProgrammeEditForm(user=request.user, initial=initial))

    def post(self, request, pk):
        programme = selectors.programme_get(user=request.user, pk=pk)
        form = ProgrammeEditForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.programme_update(programme=programme, by=request.user, **data),
            _("Programme corrected."),
        )
        if done:
            return redirect(_programme_url(done.result))
        return self.render(programme, form, status=400)

    def render(self, programme, form, status=200):
        return render(
            self.request,
            "partnership/ideas_training/form.html",
            {
                "form": form,
                "title": _("Correct the programme %(name)s (%(supplier)s)")
                % {"name": programme.name, "supplier": programme.supplier.name},
                "cancel_url": _programme_url(programme),
            },
            status=status,
        )


def _programme_url(programme) -> str:
    return (
        reverse("partnership:programme_list") + f"?supplier={programme.supplier_id}#programme-{programme.pk}"
    )
