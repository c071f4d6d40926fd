from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "cairn.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        # Learning's path asks for a student's diagnostic level ("diagnostic above" release rules); it sits
        # below assessments and may not import it, so assessments hands it the reader.
        from cairn.assessments.selectors import latest_ability
        from cairn.learning.diagnostics import register_level_reader

        register_level_reader(latest_ability)
