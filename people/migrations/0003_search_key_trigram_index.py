"""A trigram index on Person.search_key, on PostgreSQL only (SQLite has no pg_trgm; it scans, which is fine
at the sizes an embedded install holds). It serves `search_key LIKE '%token%'` and trigram similarity."""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS people_person_search_key_trgm ON people_person USING gin (search_key gin_trgm_ops)",
)
DROP = ("DROP INDEX IF EXISTS people_person_search_key_trgm",)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0002_seed_group_tags")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
