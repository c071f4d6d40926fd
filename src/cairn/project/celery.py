"""The Celery app. With CELERY_BROKER_URL set, tasks go to Redis workers (``celery -A cairn.project
worker``); without it, settings make them run in-process, so one command runs everything on a laptop."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.project.settings")

app = Celery("cairn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
