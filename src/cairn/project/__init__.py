"""Django project wiring: settings, URLs, WSGI/ASGI entry points and the Celery app."""

from cairn.project.celery import app as celery_app

__all__ = ["celery_app"]
