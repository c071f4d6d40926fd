from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cairn.surveys"
    label = "surveys"
    verbose_name = "Surveys"
