from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "cairn.leaders"
    label = "leaders"
    verbose_name = "Leaders"
