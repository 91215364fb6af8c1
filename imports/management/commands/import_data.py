"""manage.py import_data KIND FILE [--dry-run] [--only-good-rows] [--as EMAIL]: the upload page from a shell."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from imports import services
from imports.models import ImportJob, ImportKind
from imports.resources import RESOURCES


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one kind (suppliers, contacts, certifications, references, orders, receipts)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
        parser.add_argument(
            "--only-good-rows", action="store_true", help="Load the good rows when some are bad."
        )
        parser.add_argument("--as", dest="email", default="", help="The staff user the rows are recorded as.")

    def handle(self, *args, kind, file, dry_run, only_good_rows, email, **options):
        user = self._user(email)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            job = services.import_job_create(by=user, kind=kind, upload=upload)
            # Run the preview here and now (the queued task finds it done and does nothing).
            job = services.import_job_preview(job_id=job.pk) or ImportJob.objects.get(pk=job.pk)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self._report(job)
        if dry_run:
            services.import_job_cancel(job=job, by=user)
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            services.import_job_confirm(job=job, by=user, only_good_rows=only_good_rows)
        except ValidationError as exc:
            services.import_job_cancel(job=job, by=user)
            raise CommandError(" ".join(exc.messages)) from exc
        job = services.import_job_run(job_id=job.pk) or ImportJob.objects.get(pk=job.pk)
        self._report(job)
        if job.status != ImportJob.Status.DONE:
            raise CommandError(job.message or "Nothing was imported.")

    def _user(self, email: str) -> User:
        users = User.objects.filter(is_active=True).exclude(role="supplier")
        user = users.filter(email__iexact=email).first() if email else users.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("Name an active staff user with --as EMAIL.")
        return user

    def _report(self, job: ImportJob) -> None:
        self.stdout.write(
            f"{ImportKind(job.kind).label}, {job.file_name}: {job.get_status_display()} — "
            f"{job.created_count} create, {job.updated_count} update, {job.skipped_count} unchanged, "
            f"{job.error_count} with errors."
        )
        for row in job.rows.filter(action="error")[:200]:
            for message in row.errors:
                self.stdout.write(f"  {message}")
        if job.message:
            self.stdout.write(job.message)
