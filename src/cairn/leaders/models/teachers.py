"""Teachers learning on the same engine: what each teacher shares of their own professional-learning path.
The path itself is a course of the district's teaching practices (curriculum and learning, like any other)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PathSharing(models.Model):
    """A teacher's choice to share their own path beyond their principal (with the district's coaches and
    admins). No row: only the teacher and their school's leaders see it, and never as a ranking."""

    teacher = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_sharing"
    )
    beyond_principal = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.teacher}: {'shared' if self.beyond_principal else 'principal only'}"
