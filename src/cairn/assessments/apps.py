from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "cairn.assessments"
    label = "assessments"
    verbose_name = "Assessments"
