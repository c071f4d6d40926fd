"""xAPI: every answer, mastery, completed activity and diagnostic sitting out to the district's LRS through a
durable outbox, and statements in from the tools a district registers, as evidence for the learner model."""

from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "cairn.xapi"
    label = "xapi"
    verbose_name = "xAPI activity"

    def ready(self) -> None:
        from cairn.xapi import outbox

        outbox.subscribe()
