from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The site's wiring as an app, for what spans every app: the ``load_demo`` command seeds each app's demo
    data in turn, so it sits above them all (``cairn.core`` sits below them all)."""

    name = "cairn.project"
    label = "project"
