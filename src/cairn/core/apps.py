from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app builds on: the one error type (`errors`), its page mapping (`middleware`), the
    health check and the broker ping. It imports no other Cairn app."""

    name = "cairn.core"
    label = "core"

    def ready(self) -> None:
        # Each app declares its personal data in its own privacy.py (cairn.core.privacy); importing those
        # modules by name keeps core from importing any app.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")

        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from cairn.core import signins

        user_logged_in.connect(signins.on_signed_in, dispatch_uid="cairn-audit-signed-in")
        user_login_failed.connect(signins.on_sign_in_failed, dispatch_uid="cairn-audit-sign-in-failed")
