"""Staff pages of spreadsheet imports: upload, the preview with a progress bar, confirm, and the templates."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import add_service_errors, paginate, require_staff, run_service

from . import selectors, services
from .forms import ImportConfirmForm, ImportUploadForm
from .models import ImportJob, ImportKind
from .resources import RESOURCES

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _job(request, pk) -> ImportJob:
    return get_object_or_404(selectors.import_job_list(user=request.user), pk=pk)


class ImportListView(StaffRequiredMixin, View):
    """Upload a spreadsheet; the imports so far, newest first."""

    def get(self, request):
        return self._render(request, ImportUploadForm(initial={"kind": request.GET.get("kind", "")}))

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(job)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        page, query = paginate(request, selectors.import_job_list(user=request.user), per_page=20)
        kinds = [(kind, label, RESOURCES[kind].columns) for kind, label in ImportKind.choices]
        return render(
            request,
            "imports/import_list.html",
            {"form": form, "page": page, "query": query, "kinds": kinds},
            status=status,
        )


class ImportDetailView(StaffRequiredMixin, View):
    """A job: its progress while a worker runs it, then each row's outcome and the confirm button."""

    def get(self, request, pk):
        job = _job(request, pk)
        only_errors = request.GET.get("show") == "errors"
        page, query = paginate(
            request, selectors.import_job_rows(job=job, only_errors=only_errors), per_page=100
        )
        return render(
            request,
            "imports/import_detail.html",
            {
                "job": job,
                "page": page,
                "query": query,
                "only_errors": only_errors,
                "progress": services.import_progress(job),
                "confirm_form": ImportConfirmForm(),
            },
        )


class ImportProgressView(StaffRequiredMixin, View):
    """The progress bar alone, polled every second; once the worker is done, the page reloads."""

    def get(self, request, pk):
        job = _job(request, pk)
        response = render(
            request, "imports/_progress.html", {"job": job, "progress": services.import_progress(job)}
        )
        if not job.is_running:
            response["HX-Refresh"] = "true"
        return response


@require_POST
def import_confirm(request, pk):
    """Import the rows of a previewed job."""
    require_staff(request)
    job = _job(request, pk)
    form = ImportConfirmForm(request.POST)
    only_good = form.is_valid() and form.cleaned_data["only_good_rows"]
    run_service(
        request,
        lambda: services.import_job_confirm(job=job, by=request.user, only_good_rows=only_good),
        _("The import has started; this page shows its progress."),
    )
    return redirect(job)


@require_POST
def import_cancel(request, pk):
    """Drop a previewed job without importing anything."""
    require_staff(request)
    job = _job(request, pk)
    run_service(
        request, lambda: services.import_job_cancel(job=job, by=request.user), _("Nothing was imported.")
    )
    return redirect("imports:list")


def import_template(request, kind, file_kind):
    """Download the template of a kind: a header row and an example line."""
    require_staff(request)
    if kind not in RESOURCES or file_kind not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(
        selectors.import_template(kind=kind, file_kind=file_kind), content_type=CONTENT_TYPES[file_kind]
    )
    response["Content-Disposition"] = f'attachment; filename="forgeline-{kind}-template.{file_kind}"'
    return response
