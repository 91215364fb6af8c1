"""Copy each flag's single note into its history of notes, so no note written before the history is lost."""

from django.db import migrations


def copy_notes(apps, schema_editor):
    RedFlag = apps.get_model("scorecards", "RedFlag")
    RedFlagNote = apps.get_model("scorecards", "RedFlagNote")
    notes = []
    for flag in RedFlag.objects.exclude(note="").only("pk", "note", "state", "resolved_at", "resolved_by",
                                                      "acknowledged_at", "acknowledged_by", "raised_at"):
        resolved = flag.state == "resolved"
        notes.append(
            RedFlagNote(
                flag_id=flag.pk,
                kind="resolved" if resolved else "acknowledged",
                text=flag.note,
                author_id=flag.resolved_by_id if resolved else flag.acknowledged_by_id,
                created_at=(flag.resolved_at if resolved else flag.acknowledged_at) or flag.raised_at,
            )
        )
    RedFlagNote.objects.bulk_create(notes, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0005_redflagnote")]

    operations = [migrations.RunPython(copy_notes, migrations.RunPython.noop)]
