"""The privacy pages: families' requests (district admins), and who saw a student's data (the audit trail)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
