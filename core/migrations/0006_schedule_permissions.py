"""Administrators edit the Celery beat schedules (urgent alerts, periodic reports) in the admin: give the role
its permissions on django-celery-beat's models (core.roles lists them)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_alert_sent"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        # The roles exist from here on (as in core 0003).
        ("reports", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
