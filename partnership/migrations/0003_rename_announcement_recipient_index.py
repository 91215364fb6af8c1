"""Rename AnnouncementRecipient's index to 30 characters or fewer: `migrate` and `check --database` run Django's
database checks, and 'announcement_recipient_supplier' (31) failed models.E034 there."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnership", "0002_announcements_invitations")]

    operations = [
        migrations.RenameIndex(
            model_name="announcementrecipient",
            new_name="announcement_recip_supplier",
            old_name="announcement_recipient_supplier",
        ),
    ]
