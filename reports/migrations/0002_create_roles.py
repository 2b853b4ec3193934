"""Roles as groups: Monitor, Lawyer, Analyst, Administrator, Partner, with their admin permissions."""

from django.db import migrations

from core.roles import remove_roles, sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("people", "0001_initial"),
        ("events", "0001_initial"),
        ("cases", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_roles)]
