"""Send the weekly manager scorecard by hand, through the same service as the Celery task (each manager once per
ISO week, so running it again, or after the scheduled run, sends nothing twice)."""

from django.core.management.base import BaseCommand, CommandError

from scorecards import digest, digest_outbox


class Command(BaseCommand):
    help = (
        "Send the weekly scorecard email with PDF to every manager who receives it, for one ISO week "
        "(default: the current week in each manager's timezone). Already sent digests are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, e.g. 2026-W48")

    def handle(self, *args, week=None, **options):
        if week is not None:
            try:
                digest.week_monday(week)
            except ValueError as exc:
                raise CommandError(f"--week must be an ISO week like 2026-W48 ({exc}).") from exc
        sent = skipped = failed = 0
        for manager in digest.digest_recipients().order_by("email"):
            manager_week = week or digest.current_iso_week(manager)
            try:
                if digest_outbox.digest_send(manager_id=manager.pk, iso_week=manager_week):
                    sent += 1
                    self.stdout.write(f"sent     {manager.email} {manager_week}")
                else:
                    skipped += 1
                    self.stdout.write(
                        f"skipped  {manager.email} {manager_week} (already sent or in progress)"
                    )
            except Exception as exc:  # one manager's failure (recorded on the row) must not stop the others
                failed += 1
                self.stderr.write(f"failed   {manager.email} {manager_week}: {type(exc).__name__}: {exc}")
        summary = f"{sent} sent, {skipped} skipped, {failed} failed."
        self.stdout.write(self.style.ERROR(summary) if failed else self.style.SUCCESS(summary))
