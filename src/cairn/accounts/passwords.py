"""Password forms that set the password through ``services.set_password``, so every way a person sets a new
password (the change page, a reset link) also revokes their API tokens."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from cairn.accounts import services
from cairn.accounts.models import User


class _RevokesTokens:
    user: User
    cleaned_data: dict[str, str]

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["new_password1"]
        if commit:
            services.set_password(user=self.user, password=password)
        else:
            self.user.set_password(password)
        return self.user


class ResetPasswordForm(_RevokesTokens, SetPasswordForm):
    """The form behind a reset link."""


class ChangePasswordForm(_RevokesTokens, PasswordChangeForm):
    """The change-password page's form (asks for the old password first)."""
