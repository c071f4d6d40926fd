from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "cairn.lti"
    label = "cairn_lti"
    verbose_name = "LMS (LTI 1.3)"
