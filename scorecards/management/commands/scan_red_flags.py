"""Run the nightly pass by hand, as the Celery task does: the stored KPI rows, then the red-flag scan."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.clock import business_today
from scorecards import alerts, services


class Command(BaseCommand):
    help = "Store every active supplier's KPI rows and evaluate every red-flag rule (safe to run twice)."

    def handle(self, *args, **options):
        today, now = business_today(), timezone.now()
        stored = services.current_kpis_refresh(today=today, now=now)
        self.stdout.write(f"{stored} KPI row(s) stored.")
        raised = alerts.flags_evaluate(today=today, now=now)
        self.stdout.write(self.style.SUCCESS(f"{len(raised)} new red flag(s)."))
