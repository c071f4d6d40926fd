from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cairn.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # The audit trail sits below accounts and asks it, through this hook, which role an actor acted in.
        from cairn.accounts.access import widest_role
        from cairn.core import audit

        audit.register_role_of(widest_role)
