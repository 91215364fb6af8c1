"""Backups that restore: the database (pg_dump's custom format, or a copy of the SQLite file), a tar of the media
folder, and a manifest with a SHA-256 of every file, checked before and after a restore.

    manage.py backup [--output DIR]            writes DIR/forgeline-<UTC time>/
    manage.py restore BACKUP_DIR [--database NAME] [--media-root PATH] [--force]

A restore goes into a fresh (empty) database and media folder: the manifest is checked first, then pg_restore
fills the database and the tar the media folder, and every file's checksum is compared with the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def sha256_of(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env_and_args(database: dict, name: str | None = None) -> tuple[dict, list[str]]:
    """Return the environment (password) and connection arguments of pg_dump/pg_restore, from the settings."""
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    args = ["--dbname", name or database["NAME"]]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _media_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): sha256_of(path) for path in sorted(root.rglob("*")) if path.is_file()
    }


def backup_create(*, output: Path) -> Path:
    """Write a backup folder under `output`; return its path."""
    database = settings.DATABASES["default"]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = Path(output) / f"forgeline-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(database)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / PG_DUMP), *args], env)
        database_file = PG_DUMP
    elif connection.vendor == "sqlite":
        with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(target / SQLITE_COPY) as copy:
            source.backup(copy)  # a consistent copy even while the app writes
        database_file = SQLITE_COPY
    else:
        raise BackupError(f"No backup for the {connection.vendor} database.")
    media_root = Path(settings.MEDIA_ROOT)
    media = _media_files(media_root) if media_root.exists() else {}
    with tarfile.open(target / MEDIA_TAR, "w:gz") as tar:
        for name in media:
            tar.add(media_root / name, arcname=name)
    migrations = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by("app", "name"):
        migrations[app] = name  # the last applied, by name order
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": database_file},
        "migrations": migrations,
        "files": {
            database_file: sha256_of(target / database_file),
            MEDIA_TAR: sha256_of(target / MEDIA_TAR),
        },
        "media": media,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


def backup_verify(folder: Path) -> dict:
    """Check a backup folder against its manifest; return the manifest or raise BackupError."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"No readable manifest in {folder}: {exc}") from exc
    for name, checksum in manifest["files"].items():
        path = folder / name
        if not path.is_file() or sha256_of(path) != checksum:
            raise BackupError(f"{name} is missing or does not match the manifest.")
    return manifest


def backup_restore(
    *, folder: Path, database_name: str | None = None, media_root: Path | None = None, force=False
):
    """Restore a backup into a fresh database and media folder, then check every file against the manifest."""
    manifest = backup_verify(folder)
    folder = Path(folder)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()) and not force:
        raise BackupError(f"The media folder {media_root} is not empty (use --force to restore over it).")
    database = settings.DATABASES["default"]
    vendor = manifest["database"]["vendor"]
    if vendor == "postgresql":
        env, args = _pg_env_and_args(database, database_name)
        command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", *args]
        _run([*command, str(folder / PG_DUMP)], env)
    elif vendor == "sqlite":
        target = Path(database_name or database["NAME"])
        if target.exists() and target.stat().st_size and not force:
            raise BackupError(f"The database file {target} exists (use --force to replace it).")
        shutil.copyfile(folder / SQLITE_COPY, target)
    else:
        raise BackupError(f"No restore for the {vendor} database.")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_TAR, "r:gz") as tar:
        tar.extractall(media_root, filter="data")  # "data": no absolute paths, links out or devices
    restored = _media_files(media_root)
    wrong = [name for name, checksum in manifest["media"].items() if restored.get(name) != checksum]
    if wrong:
        raise BackupError(f"{len(wrong)} restored file(s) do not match the manifest, e.g. {wrong[0]}.")
    return manifest
