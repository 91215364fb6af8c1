"""Backups restore: seed, back up, restore into a fresh database and media folder, and the same supplier, its
certificate file and its scorecard targets are there, byte for byte (PostgreSQL; the SQLite copy is checked too)."""

import json
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from config import backups
from scorecards.models import KpiTarget
from tests.factories import CertificationFactory, SupplierFactory


def _admin_dsn(name: str = "postgres") -> str:
    database = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        dbname=name,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database, dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_admin_dsn(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_and_media_folder_with_the_same_rows_and_files(
    tmp_path, fresh_database
):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore round trip: PostgreSQL only")
    supplier = SupplierFactory(name="Round Trip Textiles")
    certificate = CertificationFactory(supplier=supplier)
    KpiTarget.objects.create(kpi="on_time_delivery", supplier=supplier, value=97)
    original = backups.sha256_of(settings.MEDIA_ROOT / certificate.document.name)

    call_command("backup", output=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media"] == {certificate.document.name: original}
    assert manifest["database"]["vendor"] == "postgresql" and "suppliers" in manifest["migrations"]

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), database=fresh_database, media_root=str(restored_media))

    assert backups.sha256_of(restored_media / certificate.document.name) == original
    with psycopg.connect(_admin_dsn(fresh_database)) as restored:
        row = restored.execute(
            "SELECT s.name, c.document FROM suppliers_supplier s JOIN suppliers_certification c "
            "ON c.supplier_id = s.id WHERE s.id = %s",
            [supplier.pk],
        ).fetchone()
        target = restored.execute(
            "SELECT value FROM scorecards_kpitarget WHERE supplier_id = %s", [supplier.pk]
        ).fetchone()
    assert row == ("Round Trip Textiles", certificate.document.name)
    assert target == (97,)


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    SupplierFactory()
    folder = backups.backup_create(output=tmp_path)
    with open(folder / backups.MEDIA_TAR, "ab") as tar:
        tar.write(b"tampered")
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(folder), database="never_touched", media_root=str(tmp_path / "m"))
    assert not (tmp_path / "m").exists()


def test_restoring_over_a_media_folder_that_is_not_empty_needs_force(tmp_path, settings):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / backups.MEDIA_TAR).write_bytes(b"")
    (folder / "manifest.json").write_text(
        json.dumps({"files": {}, "media": {}, "database": {"vendor": "postgresql"}, "created_at": "x"})
    )
    media = tmp_path / "media-in-use"
    media.mkdir()
    (media / "kept.pdf").write_bytes(b"%PDF")
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.backup_restore(folder=folder, media_root=media)
