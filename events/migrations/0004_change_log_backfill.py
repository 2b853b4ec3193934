"""The delta feed starts with every events record that existed before it (core.changes.changes_backfill)."""

from django.db import migrations

from core.changes import changes_backfill


def backfill(apps, schema_editor):
    changes_backfill(
        apps,
        schema_editor,
        {
            "events.Place": "place",
            "events.Assembly": "assembly",
            "events.Incident": "incident",
            "events.Source": "source",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_seed_causes"),
        ("core", "0004_change_log"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
