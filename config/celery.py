"""The Celery app. The broker is Redis when REDIS_URL is set; otherwise settings make tasks eager."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kuzet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
