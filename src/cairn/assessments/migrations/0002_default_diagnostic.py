"""The default diagnostic: a placement across every competency of the path (the demo's fractions and ratios,
grades 3–6), given on entry and again in the fall, winter and spring windows of each school year.
Districts change it, or add unit diagnostics, in the admin."""

from django.db import migrations

WINDOWS = [("fall", 8, 15, 10, 31), ("winter", 12, 1, 2, 15), ("spring", 4, 1, 6, 15)]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    Diagnostic = apps.get_model("assessments", "Diagnostic")
    Window = apps.get_model("assessments", "Window")
    diagnostic, created = Diagnostic.objects.get_or_create(
        slug="placement",
        defaults={
            "title": "Where am I? Placement diagnostic",
            "description": "A short adaptive check: each question depends on your answers so far, so it is "
            "never too easy or too hard for long. About 15–20 questions; no hints and no marks along the "
            "way. You can stop and come back where you left off.",
        },
    )
    if created:
        for season, om, od, cm, cd in WINDOWS:
            Window.objects.create(
                diagnostic=diagnostic,
                season=season,
                opens_month=om,
                opens_day=od,
                closes_month=cm,
                closes_day=cd,
            )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("assessments", "Diagnostic").objects.filter(
        slug="placement", administrations=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
