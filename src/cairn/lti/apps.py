from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "cairn.lti"
    label = "cairn_lti"
    verbose_name = "LMS (LTI 1.3)"

    def ready(self) -> None:
        from cairn.lti import subscribers  # grades to the LMS hear of masteries through learning's events

        subscribers.subscribe()
