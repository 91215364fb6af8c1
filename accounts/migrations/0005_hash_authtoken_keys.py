"""Move the keys of DRF's authtoken app (stored in plain text) into accounts.ApiToken, hashed.

Each user's old key keeps working (its SHA-256 hash is what is looked up now); the plain-text table is then
dropped, with authtoken's rows in django_migrations, so that no key is left readable in the database.
"""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

AUTHTOKEN_TABLE = "authtoken_token"


def aware(value) -> datetime.datetime:
    """Return a creation time read by raw SQL (a string on SQLite, naive without USE_TZ columns) as aware UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return timezone.now()
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def hash_authtoken_keys(apps, schema_editor):
    """Copy every authtoken key as a hash, then drop the plain-text table."""
    connection = schema_editor.connection
    if AUTHTOKEN_TABLE not in connection.introspection.table_names():
        return  # a new database: authtoken was never installed
    ApiToken = apps.get_model("accounts", "ApiToken")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')}, {quote('created')}, {quote('user_id')} FROM {quote(AUTHTOKEN_TABLE)}"
        )
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="API token (from before hashing)",
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:8],
            created_at=aware(created),
        )
        for key, created, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quote(AUTHTOKEN_TABLE)}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_api_token")]

    # The keys cannot be un-hashed: going back leaves the hashed tokens in place.
    operations = [migrations.RunPython(hash_authtoken_keys, migrations.RunPython.noop)]
