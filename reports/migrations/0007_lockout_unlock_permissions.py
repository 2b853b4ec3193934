"""Administrators lift login lockouts in the admin: give the role its permissions on django-axes' attempt and
access-log models (core.roles lists them). Here in reports, beside the other role migrations, because the
roles exist from reports 0002 on."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_review_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
