"""The delta feed starts with every cases record that existed before it (core.changes.changes_backfill)."""

from django.db import migrations

from core.changes import changes_backfill


def backfill(apps, schema_editor):
    changes_backfill(
        apps,
        schema_editor,
        {
            "cases.LegalArticle": "legal-article",
            "cases.Detention": "detention",
            "cases.LegalCase": "legal-case",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_seed_custody_credit_and_appeal_terms"),
        ("core", "0004_change_log"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
