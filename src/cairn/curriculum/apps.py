from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "cairn.curriculum"
    label = "curriculum"
    verbose_name = "Curriculum"
