"""`manage.py backup`: the database and the media folder, with a manifest of checksums (config/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc, or the SQLite file) and the media folder, with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, output, **options):
        try:
            folder = backups.backup_create(output=Path(output))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
