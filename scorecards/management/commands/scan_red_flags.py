"""Run the nightly red-flag scan by hand, through the same code path as the Celery task."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.clock import business_today
from scorecards import alerts


class Command(BaseCommand):
    help = "Evaluate every red-flag rule for every active supplier (safe to run twice)."

    def handle(self, *args, **options):
        raised = alerts.flags_evaluate(today=business_today(), now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"{len(raised)} new red flag(s)."))
