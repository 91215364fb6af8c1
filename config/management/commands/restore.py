"""`manage.py restore BACKUP_DIR`: into a fresh database and media folder, checked against the manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config import backups


class Command(BaseCommand):
    help = (
        "Restore a backup folder written by `manage.py backup` into a fresh (empty) database and media folder; "
        "every file is checked against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--database", help="Restore into this database (default: the configured one).")
        parser.add_argument("--media-root", help="Restore the files here (default: MEDIA_ROOT).")
        parser.add_argument(
            "--force", action="store_true", help="Restore over a media folder that is not empty."
        )

    def handle(self, *args, folder, database=None, media_root=None, force=False, **options):
        try:
            manifest = backups.backup_restore(
                folder=Path(folder),
                database_name=database,
                media_root=Path(media_root) if media_root else None,
                force=force,
            )
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} ({len(manifest['media'])} files). "
                "Next: `manage.py migrate` (if this release is newer), then start the app."
            )
        )
