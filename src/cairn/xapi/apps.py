from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "cairn.xapi"
    label = "xapi"
    verbose_name = "xAPI activity"
