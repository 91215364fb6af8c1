"""Every write of the imports app: upload a file (checked, then a dry run queued), confirm, cancel, and the two
runs (the dry run behind the preview, the import itself), each row through the owning app's services."""

import logging
import time
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from communications.services.notifications import notify
from core.queue import enqueue_on_commit
from core.uploads import check_upload

from .models import ImportJob, ImportKind, ImportRow
from .parsing import read_table
from .resources import RESOURCES, Cells, RowErrors
from .resources.base import service_errors

FILE_KINDS = frozenset({"csv", "xlsx"})
# A file this small is read whole while the user waits, so a formula or a bad header is said on the form itself;
# a larger one is read by the worker (the request never blocks) and its refusal shows on the job's page.
READ_INLINE_BYTES = 2 * 1024 * 1024
PROGRESS_EVERY_SECONDS = 0.5


logger = logging.getLogger(__name__)


class _DryRun(Exception):
    """Raised inside a row's transaction to roll it back once the row went through."""


def _resource(kind: str, by: User):
    if kind not in RESOURCES:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    resource = RESOURCES[kind](by=by)
    require_capability(by, resource.capability)
    return resource


@transaction.atomic
def import_job_create(*, by: User, kind: str, upload) -> ImportJob:
    """Check an uploaded spreadsheet (type, size, macros, header, formulas) and queue its dry run.

    A refused file raises ValidationError with the reason and leaves nothing behind.
    """
    if not by.is_staff_member:
        raise PermissionDenied
    resource = _resource(kind, by)
    file_kind = check_upload(
        upload,
        max_bytes=settings.FORGELINE_IMPORT_MAX_BYTES,
        kinds=FILE_KINDS,
        kinds_message=_("Upload a CSV (UTF-8) or an Excel workbook (.xlsx); this file is neither."),
    )
    upload.seek(0)
    content = upload.read()
    table = read_table(
        content=content,
        file_kind=file_kind,
        expected=resource.column_names(),
        required=resource.required_names(),
        header_only=len(content) > READ_INLINE_BYTES,
    )
    job = ImportJob.objects.create(
        kind=kind,
        file_name=str(getattr(upload, "name", "") or "upload")[-200:],
        file_kind=file_kind,
        content=content,
        total_rows=len(table.rows),
        created_by=by,
    )
    from .tasks import import_preview_task

    enqueue_on_commit(import_preview_task, job.pk)
    return job


def import_job_preview(*, job_id: int) -> ImportJob | None:
    """Run every row of a job through the services and roll each back: the preview of what would happen."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PREVIEWING).first()
    if job is None:
        return None  # already previewed (a task run twice) or cancelled
    return _run(job, dry_run=True)


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by: User, only_good_rows: bool = False) -> ImportJob:
    """Queue the import of a previewed job; a job with bad rows loads only if the user chose the good rows."""
    _resource(job.kind, by)
    if job.error_count and not only_good_rows:
        raise ValidationError(
            _(
                "%(n)s row(s) have errors, so nothing is loaded: fix them and upload the file again, "
                "or choose to load only the good rows."
            )
            % {"n": job.error_count}
        )
    if job.status == ImportJob.Status.PREVIEWED and not job.can_confirm:
        raise ValidationError(_("No row of this file can be imported."))
    won = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING, only_good_rows=bool(only_good_rows), processed_rows=0
    )
    job.refresh_from_db()
    if not won:
        raise ValidationError(_("This import is %(status)s.") % {"status": job.get_status_display().lower()})
    from .tasks import import_run_task

    enqueue_on_commit(import_run_task, job.pk)
    return job


@transaction.atomic
def import_job_cancel(*, job: ImportJob, by: User) -> ImportJob:
    """Drop a previewed job without importing anything."""
    _resource(job.kind, by)
    won = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.CANCELLED, content=b"", finished_at=timezone.now()
    )
    job.refresh_from_db()
    if not won:
        raise ValidationError(_("This import is %(status)s.") % {"status": job.get_status_display().lower()})
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Import the rows of a confirmed job: all of them in one transaction, or each good row on its own."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).first()
    if job is None:
        return None
    return _run(job, dry_run=False)


def import_job_abandon(*, job_id: int) -> ImportJob | None:
    """End a job still running after its task gave up retrying (the database kept failing): failed, nothing kept
    beyond what an only-good-rows import committed row by row, which the message says may be there."""
    job = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING]
    ).first()
    if job is None:
        return None
    if job.status == ImportJob.Status.PREVIEWING:
        message = _("The file could not be checked: the database was unavailable. Upload it again later.")
    elif job.only_good_rows:
        message = _(
            "The import stopped: the database was unavailable. Some rows may have been imported; check the "
            "records before uploading the file again (rows already imported are skipped)."
        )
    else:
        message = _("Nothing was imported: the database was unavailable. Upload the file again later.")
    return _finish(job, status=ImportJob.Status.FAILED, results={}, message=message)


def import_progress(job: ImportJob) -> int:
    """Return how many rows the running job went through (the worker's last report)."""
    return max(job.processed_rows, cache.get(_progress_key(job.pk), 0))


def _progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


@dataclass
class _Progress:
    """How far a run got, for ending it well if it stops on a fault of ours: the rows' results so far, whether the
    rows it loaded are committed (each on its own, or the whole file), and whether a row met an unexpected error."""

    results: dict = field(default_factory=dict)
    committed: bool = False
    unexpected: bool = False


def _run(job: ImportJob, *, dry_run: bool) -> ImportJob:
    """Check (dry_run) or import a job's file, and record how it ended: whatever goes wrong, the job ends.

    A fault of ours outside the rows (reading what the rows share, what they do together at the end, recording
    the results) ends the job as failed rather than leaving it "importing" for ever, and says what was loaded by
    then: nothing (the file's one transaction rolled back), or the rows committed one by one before the fault. The
    database going away is left to the task's retry, which finds the job still running and starts it again (an
    import run again skips what it already created).
    """
    progress = _Progress(committed=job.only_good_rows and not dry_run)
    try:
        return _run_file(job, dry_run=dry_run, progress=progress)
    except OperationalError:
        raise
    except Exception:
        logger.exception("Import job %s stopped on an unexpected error", job.pk)
    loaded = {
        number: result
        for number, result in progress.results.items()
        if progress.committed and result[0] in ("create", "update")
    }
    if dry_run:
        message = _(
            "The file could not be checked: the check stopped on an unexpected error on our side, which has "
            "been logged. Upload it again later, or tell your administrator if it happens again."
        )
    elif loaded:
        message = _(
            "The import stopped on an unexpected error on our side, which has been logged. The rows listed "
            "below as created or updated were imported; the others were not. Tell your administrator before "
            "uploading the rest again."
        )
    else:
        message = _(
            "Nothing was imported: the import stopped on an unexpected error on our side, which has been "
            "logged. Upload the file again later, or tell your administrator if it happens again."
        )
    return _finish(job, status=ImportJob.Status.FAILED, results=loaded, message=message)


def _run_file(job: ImportJob, *, dry_run: bool, progress: _Progress) -> ImportJob:
    resource = RESOURCES[job.kind](by=job.created_by)
    try:
        table = read_table(
            content=bytes(job.content),
            file_kind=job.file_kind,
            expected=resource.column_names(),
            required=resource.required_names(),
        )
    except ValidationError as exc:
        return _finish(job, status=ImportJob.Status.FAILED, results={}, message=" ".join(exc.messages))
    rows = [Cells(number=number, values=values) for number, values in table.rows]
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
    job.total_rows = len(rows)
    resource.prepare(rows)
    results = progress.results = _duplicates(resource, rows)
    units = resource.units(rows)
    if dry_run or job.only_good_rows:
        _apply_units(job, resource, units, results, rollback=dry_run, progress=progress)
    else:
        try:
            with transaction.atomic():
                resource.together = True
                _apply_units(job, resource, units, results, rollback=False, progress=progress)
                if any(errors for _action, _label, errors in results.values()):
                    raise _DryRun
                resource.finish()
        except _DryRun:
            failed = sum(1 for _action, _label, errors in results.values() if errors)
            if progress.unexpected:
                message = _(
                    "Nothing was imported: %(n)s row(s) could not be saved, at least one because of an unexpected "
                    "error on our side, which has been logged. See the rows below; upload the file again later, "
                    "or tell your administrator if it happens again."
                ) % {"n": failed}
            else:
                message = _(
                    "Nothing was imported: %(n)s row(s) failed although the preview found them good (the data "
                    "changed since). See the rows below, fix the file and upload it again."
                ) % {"n": failed}
            return _finish(job, status=ImportJob.Status.FAILED, results=results, message=message)
        progress.committed = True
    status = ImportJob.Status.PREVIEWED if dry_run else ImportJob.Status.DONE
    return _finish(job, status=status, results=results, message="")


def _duplicates(resource, rows: list[Cells]) -> dict:
    """Return errors for rows that repeat another row's natural key (both would write one record)."""
    first_seen, results = {}, {}
    for row in rows:
        key = resource.duplicate_key(row)
        if key is None or not any(key):
            continue
        if key in first_seen:
            row.error(
                None,
                _("the same record as row %(row)s; a file holds each record once") % {"row": first_seen[key]},
            )
            results[row.number] = ("error", "", row.errors)
        else:
            first_seen[key] = row.number
    return results


def _apply_units(job, resource, units, results: dict, *, rollback: bool, progress: _Progress) -> None:
    """Apply each unit (a row, or an order's rows) in its own savepoint, recording what each row did."""
    done, last_report = 0, time.monotonic()
    for unit in units:
        if any(row.number in results for row in unit):
            _record(
                results,
                unit,
                "error",
                "",
                [m for row in unit for m in results.get(row.number, ("", "", []))[2]],
            )
        else:
            try:
                with transaction.atomic():
                    action, label = resource.apply(unit)
                    if rollback:
                        raise _DryRun
            except _DryRun:
                _record(results, unit, action, label, [])
            except RowErrors as exc:
                _record(results, unit, "error", "", exc.messages)
            except ValidationError as exc:
                _record(results, unit, "error", "", service_errors(unit[0], exc))
            except PermissionDenied as exc:
                _record(results, unit, "error", "", [str(exc) or _("your role does not allow this")])
            except IntegrityError as exc:
                _record(results, unit, "error", "", [_("could not be saved (%(error)s)") % {"error": exc}])
            except (OperationalError, InterfaceError, SoftTimeLimitExceeded):
                raise  # no later row could be saved either: the run ends (or the task's retry runs it again)
            except Exception:
                # A fault of ours on this row: the row says so and the others go on (logged in full).
                logger.exception(
                    "Import job %s: row %s stopped on an unexpected error", job.pk, unit[0].number
                )
                progress.unexpected = True
                _record(
                    results,
                    unit,
                    "error",
                    "",
                    [_("could not be saved because of an unexpected error on our side (logged)")],
                )
            else:
                _record(results, unit, action, label, [])
        done += len(unit)
        if time.monotonic() - last_report > PROGRESS_EVERY_SECONDS:
            _report_progress(job, done)
            last_report = time.monotonic()
    _report_progress(job, done)


def _record(results: dict, unit, action: str, label: str, errors: list[str]) -> None:
    for index, row in enumerate(unit):
        # An order's errors are listed once, on its first row; its other rows point there.
        row_errors = errors if index == 0 or not errors else [_("see row %(row)s") % {"row": unit[0].number}]
        results[row.number] = (action, label, row_errors)


def _report_progress(job: ImportJob, done: int) -> None:
    try:
        cache.set(_progress_key(job.pk), done, 3600)
    except Exception:  # the progress bar is a nicety: the cache being down must not stop an import
        logger.warning("Import job %s: progress not cached", job.pk, exc_info=True)
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the page sees it at once; inside one (an all-or-nothing import) the cache says it.
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)


def _finish(job: ImportJob, *, status: str, results: dict, message: str) -> ImportJob:
    counts = {"create": 0, "update": 0, "skip": 0, "error": 0}
    rows = []
    for number, (action, label, errors) in sorted(results.items()):
        counts[action] += 1
        rows.append(ImportRow(job=job, number=number, action=action, label=str(label)[:300], errors=errors))
    running = job.status
    try:
        with transaction.atomic():
            # A conditional update: of two workers that ran one job (a task delivered twice), the first to finish
            # writes the rows; the other's results are dropped.
            won = ImportJob.objects.filter(pk=job.pk, status=job.status).update(status=status)
            if not won:
                job.refresh_from_db()
                return job
            ImportRow.objects.filter(job=job).delete()
            ImportRow.objects.bulk_create(rows, batch_size=1000)
            job.status, job.message = status, message
            job.processed_rows = job.total_rows
            job.created_count, job.updated_count = counts["create"], counts["update"]
            job.skipped_count, job.error_count = counts["skip"], counts["error"]
            fields = [
                "status",
                "message",
                "processed_rows",
                "created_count",
                "updated_count",
                "skipped_count",
                "error_count",
            ]
            if status != ImportJob.Status.PREVIEWED:
                job.finished_at, job.content = timezone.now(), b""
                fields += ["finished_at", "content"]
            job.save(update_fields=fields)
    except BaseException:
        job.status = running  # rolled back: the job is still running, as the database says
        raise
    if job.total_rows >= settings.FORGELINE_IMPORT_NOTIFY_MIN_ROWS:
        try:
            _notify_owner(job)
        except (
            Exception
        ):  # the job has ended whatever becomes of the notice; the uploader sees it on the page
            logger.exception("Import job %s: the uploader could not be told", job.pk)
    try:
        cache.delete(_progress_key(job.pk))
    except Exception:  # a progress bar's leftover: it expires by itself
        logger.warning("Import job %s: progress not cleared", job.pk, exc_info=True)
    return job


def _notify_owner(job: ImportJob) -> None:
    """Tell the uploader, in their language, that the preview is ready or the import is over."""
    user = job.created_by
    with translation.override(user.language):
        kind = ImportKind(job.kind).label
        if job.status == ImportJob.Status.PREVIEWED:
            title = _("Your import is checked: %(kind)s, %(file)s") % {"kind": kind, "file": job.file_name}
        elif job.status == ImportJob.Status.DONE:
            title = _("Your import is done: %(kind)s, %(file)s") % {"kind": kind, "file": job.file_name}
        elif job.created_count or job.updated_count:
            title = _("Your import stopped part-way: %(kind)s, %(file)s") % {
                "kind": kind,
                "file": job.file_name,
            }
        else:
            title = _("Your import loaded nothing: %(kind)s, %(file)s") % {
                "kind": kind,
                "file": job.file_name,
            }
        if job.status == ImportJob.Status.PREVIEWED:
            body = _(
                "%(created)s to create, %(updated)s to update, %(skipped)s unchanged, %(errors)s with errors."
            )
        else:
            body = _(
                "%(created)s created, %(updated)s updated, %(skipped)s unchanged, %(errors)s with errors."
            )
        body = body % {
            "created": job.created_count,
            "updated": job.updated_count,
            "skipped": job.skipped_count,
            "errors": job.error_count,
        }
        notify(users=[user], title=title, body=body + "\n" + job.message, url=job.get_absolute_url())
