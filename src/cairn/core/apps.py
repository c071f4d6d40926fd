from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app builds on: the one error type (`errors`), its page mapping (`middleware`), the
    health check and the broker ping. It imports no other Cairn app."""

    name = "cairn.core"
    label = "core"
