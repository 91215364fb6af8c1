"""Write weekly KPI snapshots for past weeks (an upsert: safe to run again)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from core.clock import business_today
from scorecards import services


class Command(BaseCommand):
    help = "Write the weekly KPI snapshots of the last N weeks (default 52)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=52)

    def handle(self, *args, weeks, **options):
        this_week = services.week_start_of(business_today())
        rows = 0
        for n in range(weeks, 0, -1):
            rows += services.snapshots_write(week_start=this_week - timedelta(weeks=n))
        self.stdout.write(self.style.SUCCESS(f"{rows} snapshot rows for {weeks} weeks."))
