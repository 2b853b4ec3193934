"""Lawyers record hearings and appeals, everyone on staff reads them: give the roles their permissions
(core.roles lists them next to the sentence's)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_hearing_appeal"),
        # The roles and every permission they name exist from here on (as in core 0003).
        ("reports", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
