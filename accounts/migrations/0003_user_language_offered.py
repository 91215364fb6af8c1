"""Offer only the languages that have a catalogue (English, Simplified Chinese, Vietnamese).

Users who had picked Turkish, Portuguese or Spanish (offered before, with nothing behind them) get English,
which is what their pages were mostly in anyway.
"""

from django.db import migrations, models

OFFERED = ["en", "zh-hans", "vi"]


def fall_back_to_english(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.exclude(language__in=OFFERED).update(language="en")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.RunPython(fall_back_to_english, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='user',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('zh-hans', '简体中文'), ('vi', 'Tiếng Việt')], default='en', max_length=10, verbose_name='language'),
        ),
    ]
