from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "cairn.families"
    label = "families"
    verbose_name = "Families"
