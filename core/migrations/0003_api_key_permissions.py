"""Administrators issue, view and revoke API keys: give their role the ApiKey permissions (core.roles)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_api_key"),
        # The roles and every permission they name exist from here on.
        ("reports", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
