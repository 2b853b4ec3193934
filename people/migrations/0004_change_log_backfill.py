"""The delta feed starts with every people record that existed before it (core.changes.changes_backfill)."""

from django.db import migrations

from core.changes import changes_backfill


def backfill(apps, schema_editor):
    changes_backfill(apps, schema_editor, {"people.Person": "person"})


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_search_key_trigram_index"),
        ("core", "0004_change_log"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
