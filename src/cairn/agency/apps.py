from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "cairn.agency"
    label = "agency"
    verbose_name = "Student agency"
