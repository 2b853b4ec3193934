"""Give the roles the report review permissions of 0005: analysts and administrators approve and send,
lawyers queue individual communications."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_review_permissions_named_people")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
